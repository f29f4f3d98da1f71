/** What signing in and registering share: start the session from the token an operation returns. */
import { nextTick, ref } from 'vue';
import { toClientError, type ClientError } from '../graphql/errors';
import { useSessionStore } from './useSession';

export function useSessionStart() {
  const session = useSessionStore();
  const error = ref<ClientError | null>(null);

  /** Runs `operation`; starts the session with its token. Resolves to whether it did; otherwise `error` says why. */
  async function startWith(operation: () => Promise<string | undefined>): Promise<boolean> {
    error.value = null;
    try {
      const token = await operation();
      if (token) {
        // A session started over another (a reset link opened while signed in) ends that one
        // first, so nothing of it — cache, socket, realtime state — carries over.
        if (session.isSignedIn) {
          session.end();
          await nextTick();
        }
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

  return { error, startWith, clearError };
}
