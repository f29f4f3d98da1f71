/** Setting a new password with a reset link's token; it signs in, or asks for the second step first. */
import { useMutation } from '@vue/apollo-composable';
import type { ClientError } from '../graphql/errors';
import { MeQuery } from '../graphql/me';
import { ResetPasswordMutation } from '../graphql/recovery';
import { useErrorMessage } from './useErrorMessage';
import { useSessionStart } from './useSessionStart';

/**
 * Where a reset stands after the API answered: signed in; the password set but a code needed
 * (the challenge); the link no longer works; or still at the form, whose `error` says why.
 */
export type ResetOutcome = { name: 'signedIn' } | { name: 'code'; challenge: string } | { name: 'invalidLink' } | { name: 'form' };

/** What an answer of `resetPassword` means for the page; `error` is null when the session started. */
export function resetOutcome(error: ClientError | null): ResetOutcome {
  if (!error) return { name: 'signedIn' };
  if (error.code === 'TWO_FACTOR_REQUIRED' && error.challenge) return { name: 'code', challenge: error.challenge.challenge };
  if (error.code === 'INVALID_TOKEN') return { name: 'invalidLink' };
  return { name: 'form' };
}

export function useResetPassword() {
  const { error, startWith, clearError } = useSessionStart();
  const errorMessage = useErrorMessage(error);
  const { mutate, loading } = useMutation(ResetPasswordMutation, {
    throws: 'always',
    update(cache, { data }) {
      if (data) cache.writeQuery({ query: MeQuery, data: { me: data.resetPassword.me } });
    },
  });

  /** Sets the password and starts the session when the account allows it without a code. */
  async function resetPassword(token: string, newPassword: string): Promise<ResetOutcome> {
    await startWith(async () => (await mutate({ input: { token, newPassword } }))?.data?.resetPassword.token);
    return resetOutcome(error.value);
  }

  return { resetPassword, loading, error, errorMessage, clearError };
}
