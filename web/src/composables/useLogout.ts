import { useMutation } from '@vue/apollo-composable';
import { LogoutMutation } from '../graphql/logout';
import { useSessionStore } from './useSession';

/** Ends the session on the server, then here; the router then leaves protected pages. */
export function useLogout() {
  const session = useSessionStore();
  const { mutate, loading } = useMutation(LogoutMutation, { throws: 'never' });

  async function logout(): Promise<void> {
    await mutate();
    // Even if the server could not be told: the user asked to leave this device.
    session.end();
  }

  return { logout, loading };
}
