/** Asking for a password reset link by email or by user name. */
import { ref } from 'vue';
import { useMutation } from '@vue/apollo-composable';
import { toClientError, type ClientError } from '../graphql/errors';
import { RequestPasswordResetMutation } from '../graphql/recovery';
import { useErrorMessage } from './useErrorMessage';

/** The recovery page's two ways in: "I remember my email" and "I remember my user name". */
export type RecoverBy = 'email' | 'username';

/** The way in that fits what was typed on the sign-in page (user names have no `@`); the first tab when nothing was. */
export function recoverByFor(login: string): RecoverBy {
  return login === '' || login.includes('@') ? 'email' : 'username';
}

/**
 * Requests a link. The API answers the same whether or not an account has the name, so
 * the page can only ever say "if there is one, it is on its way".
 */
export function useRecover() {
  const error = ref<ClientError | null>(null);
  const errorMessage = useErrorMessage(error);
  const { mutate, loading } = useMutation(RequestPasswordResetMutation, { throws: 'always' });

  /** Resolves to whether the request was taken; otherwise `error` says why (a bad field, a rate limit). */
  async function requestReset(login: string): Promise<boolean> {
    error.value = null;
    try {
      await mutate({ login: login.trim() });
      return true;
    } catch (thrown) {
      error.value = toClientError(thrown);
      return false;
    }
  }

  function clearError(): void {
    error.value = null;
  }

  return { requestReset, loading, error, errorMessage, clearError };
}
