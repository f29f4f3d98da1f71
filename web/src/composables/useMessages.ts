/** A conversation's history from the cache, scrolling back page by page. */
import { computed, ref } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { MessagesQuery } from '../graphql/messenger';

export const PAGE = 50;

export function useMessages(conversationId: () => string | null) {
  const { result, loading, error, fetchMore } = useQuery(
    MessagesQuery,
    () => ({ conversationId: conversationId() ?? '', limit: PAGE }),
    () => ({ enabled: Boolean(conversationId()), fetchPolicy: 'cache-and-network' }),
  );
  const messages = computed(() => result.value?.messages.messages ?? []);
  const hasOlder = computed(() => result.value?.messages.hasMore ?? false);
  const loadingOlder = ref(false);

  /** Loads the page before the oldest message shown. */
  async function loadOlder(): Promise<void> {
    const oldest = messages.value[0];
    if (!oldest || !hasOlder.value || loadingOlder.value) return;
    loadingOlder.value = true;
    try {
      await fetchMore({ variables: { conversationId: conversationId() ?? '', before: oldest.seq, limit: PAGE } });
    } finally {
      loadingOlder.value = false;
    }
  }

  return { messages, hasOlder, loading, loadingOlder, error, loadOlder };
}
