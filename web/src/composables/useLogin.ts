import { useMutation } from '@vue/apollo-composable';
import { LoginMutation, type LoginInput } from '../graphql/login';
import { MeQuery } from '../graphql/me';
import { useErrorMessage } from './useErrorMessage';
import { useSessionStart } from './useSessionStart';

/** Signs in and starts the session; the user it returns fills the `me` query's cache. */
export function useLogin() {
  const { error, startWith, clearError } = useSessionStart();
  const errorMessage = useErrorMessage(error);
  const { mutate, loading } = useMutation(LoginMutation, {
    throws: 'always',
    update(cache, { data }) {
      if (data) cache.writeQuery({ query: MeQuery, data: { me: data.login.me } });
    },
  });

  /** Resolves to whether the session started; otherwise `error` says why. */
  function login(input: LoginInput): Promise<boolean> {
    return startWith(async () => (await mutate({ input }))?.data?.login.token);
  }

  return { login, loading, error, errorMessage, clearError };
}
