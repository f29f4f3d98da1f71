import { ref } from 'vue';
import { useMutation } from '@vue/apollo-composable';
import { LoginMutation, type LoginInput } from '../graphql/login';
import { MeQuery } from '../graphql/me';
import { toClientError, type ClientError } from '../graphql/errors';
import { useSessionStore } from './useSession';
import { useErrorMessage } from './useErrorMessage';

/** Signs in and starts the session; the user it returns fills the `me` query's cache. */
export function useLogin() {
  const session = useSessionStore();
  const error = ref<ClientError | null>(null);
  const errorMessage = useErrorMessage(error);
  const { mutate, loading } = useMutation(LoginMutation, {
    throws: 'always',
    update(cache, { data }) {
      if (data) cache.writeQuery({ query: MeQuery, data: { me: data.login.me } });
    },
  });

  /** Resolves to whether the session started; otherwise `error` says why. */
  async function login(input: LoginInput): Promise<boolean> {
    error.value = null;
    try {
      const result = await mutate({ input });
      const token = result?.data?.login.token;
      if (token) {
        session.start(token);
        return true;
      }
      error.value = { code: 'INTERNAL_SERVER_ERROR', message: '', fields: [] };
    } catch (thrown) {
      error.value = toClientError(thrown);
    }
    return false;
  }

  function clearError(): void {
    error.value = null;
  }

  return { login, loading, error, errorMessage, clearError };
}
