import { useMutation } from '@vue/apollo-composable';
import { RegisterMutation, type RegisterInput } from '../graphql/account';
import { MeQuery } from '../graphql/me';
import { useSessionStart } from './useSessionStart';

/** The API's rules for a new account (api/src/modules/accounts/accounts.inputs.ts), checked here first. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_]{3,32}$/;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
export const EMAIL_MAX = 254;
// One @, something on each side, a dot in the domain: the server has the final word.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with a form value, as a message key under `account.register.rules`; null when it is fine. */
export type RegisterProblem =
  | 'required'
  | 'usernameLength'
  | 'usernameChars'
  | 'email'
  | 'emailTooLong'
  | 'passwordLength'
  | 'passwordsDiffer';

export function usernameProblem(value: string): RegisterProblem | null {
  if (value.length === 0) return 'required';
  if (value.length < 3 || value.length > 32) return 'usernameLength';
  return USERNAME_PATTERN.test(value) ? null : 'usernameChars';
}

export function emailProblem(value: string): RegisterProblem | null {
  const email = value.trim();
  if (email.length === 0) return 'required';
  if (email.length > EMAIL_MAX) return 'emailTooLong';
  return EMAIL_PATTERN.test(email) ? null : 'email';
}

export function passwordProblem(value: string): RegisterProblem | null {
  if (value.length === 0) return 'required';
  return value.length < PASSWORD_MIN || value.length > PASSWORD_MAX ? 'passwordLength' : null;
}

export function repeatProblem(password: string, repeat: string): RegisterProblem | null {
  if (repeat.length === 0) return 'required';
  return password === repeat ? null : 'passwordsDiffer';
}

/** Creates the account and starts its session; the user it returns fills the `me` query's cache. */
export function useRegister() {
  const { error, startWith, clearError } = useSessionStart();
  const { mutate, loading } = useMutation(RegisterMutation, {
    throws: 'always',
    update(cache, { data }) {
      if (data) cache.writeQuery({ query: MeQuery, data: { me: data.register.me } });
    },
  });

  /** Resolves to whether the session started; otherwise `error` says why. */
  function register(input: RegisterInput): Promise<boolean> {
    return startWith(async () => (await mutate({ input }))?.data?.register.token);
  }

  return { register, loading, error, clearError };
}
