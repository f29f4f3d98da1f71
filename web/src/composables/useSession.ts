import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import { readStorage, writeStorage } from '../utils/storage';

/** Where the session token is kept, so a reload stays signed in. */
export const SESSION_KEY = 'dash.session';

/** The signed-in session: only its token. Who the user is comes from the `me` query. */
export const useSessionStore = defineStore('session', () => {
  const token = ref<string | null>(readStorage(SESSION_KEY));
  const isSignedIn = computed(() => token.value !== null);

  function start(newToken: string): void {
    token.value = newToken;
    writeStorage(SESSION_KEY, newToken);
  }

  function end(): void {
    token.value = null;
    writeStorage(SESSION_KEY, null);
  }

  // Signing in or out in another tab applies here too.
  window.addEventListener('storage', (event) => {
    // `key` is null when the other tab cleared all of storage.
    if (event.key === SESSION_KEY || event.key === null) token.value = readStorage(SESSION_KEY);
  });

  return { token, isSignedIn, start, end };
});
