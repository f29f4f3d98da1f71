/** The realtime connection's state, as the app bar shows it. */
import { readonly, ref } from 'vue';

export type ConnectionState = 'connected' | 'reconnecting' | 'offline';

const state = ref<ConnectionState>(typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : 'reconnecting');

export function setConnectionState(next: ConnectionState): void {
  // The browser knowing it is offline wins over the socket's own view.
  state.value = typeof navigator !== 'undefined' && navigator.onLine === false ? 'offline' : next;
}

export function useConnection() {
  return { state: readonly(state) };
}

/**
 * Backoff between reconnection attempts: 0.5 s doubling to 15 s, with jitter so a
 * restarted server is not hit by every client at once.
 */
export function retryDelay(attempt: number, random = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** attempt);
  return Math.round(base / 2 + random() * (base / 2));
}
