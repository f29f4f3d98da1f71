/** The second step of signing in: a code from the authenticator app, or a recovery code, for a challenge. */
import { useMutation } from '@vue/apollo-composable';
import type { ClientError } from '../graphql/errors';
import { CompleteLoginMutation } from '../graphql/login';
import { MeQuery } from '../graphql/me';
import { useErrorMessage } from './useErrorMessage';
import { useSessionStart } from './useSessionStart';

/** Which code the person has at hand. */
export type CodeKind = 'app' | 'recovery';

/** Digits of an authenticator app's code. */
export const APP_CODE_LENGTH = 6;

/** What is wrong with a typed code, as a message key under `recovery.code.rules`; null when it may be sent. */
export type CodeProblem = 'required' | 'appCode' | 'recoveryCode';

/**
 * Checks the shape only, as the API does before trying a code: 6 digits from an app; a
 * recovery code (`ABCD-EFGH-JKMN`) in letters and digits, with the dashes or spaces people type.
 */
export function codeProblem(code: string, kind: CodeKind): CodeProblem | null {
  const compact = code.replace(/[\s-]/g, '');
  if (compact.length === 0) return 'required';
  if (kind === 'app') return new RegExp(`^\\d{${APP_CODE_LENGTH}}$`).test(compact) ? null : 'appCode';
  return /^[A-Za-z0-9]{8,16}$/.test(compact) ? null : 'recoveryCode';
}

/** Whether the challenge no longer works (expired after 5 minutes, or used): only the password step can start again. */
export function challengeGone(error: ClientError | null): boolean {
  return error?.code === 'INVALID_TOKEN';
}

/** Completes a sign-in with a code and starts the session; the user it returns fills the `me` query's cache. */
export function useCompleteLogin() {
  const { error, startWith, clearError } = useSessionStart();
  const errorMessage = useErrorMessage(error);
  const { mutate, loading } = useMutation(CompleteLoginMutation, {
    throws: 'always',
    update(cache, { data }) {
      if (data) cache.writeQuery({ query: MeQuery, data: { me: data.completeLogin.me } });
    },
  });

  /** Resolves to whether the session started; otherwise `error` says why (a wrong code leaves the challenge usable). */
  function completeLogin(challenge: string, code: string): Promise<boolean> {
    return startWith(async () => (await mutate({ input: { challenge, code: code.trim() } }))?.data?.completeLogin.token);
  }

  return { completeLogin, loading, error, errorMessage, clearError };
}
