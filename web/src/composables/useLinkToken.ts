/**
 * The token of a mailed link (`/reset-password#token=…`). It travels in the fragment so that
 * no server, proxy or Referer header ever sees it; once read, it leaves the address bar too,
 * so it is not left in the history, a bookmark or a screenshot.
 */
import { readonly, ref, watch, type Ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';

/** The `token` parameter of a location's fragment (`#token=…`, with or without the `#`); null when absent or empty. */
export function tokenFromHash(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token ? token : null;
}

/**
 * The current page's link token, taken off the address as it arrives. Through the router (a
 * replace, so no new history entry) rather than `history.replaceState` alone: the router keeps
 * its own copy of the current address, which it writes back into the history entry on the next
 * navigation. A second link opened in the same tab changes only the fragment, so the page stays
 * and the token changes under it.
 */
export function useLinkToken(): Readonly<Ref<string | null>> {
  const route = useRoute();
  const router = useRouter();
  const page = route.path;
  const token = ref<string | null>(null);
  watch(
    () => route.hash,
    (hash) => {
      // Empty once taken off; another page's fragment is not ours.
      if (!hash || route.path !== page) return;
      token.value = tokenFromHash(hash);
      void router.replace({ path: route.path, query: route.query, hash: '' });
    },
    { immediate: true },
  );
  return readonly(token);
}
