/** The viewer's conversations, newest activity first, and the unread total. */
import { computed } from 'vue';
import { useQuery } from '@vue/apollo-composable';
import { ConversationQuery, ConversationsQuery, type ConversationData } from '../graphql/messenger';

/** Sorts by last activity, newest first (the cache keeps them in arrival order). */
export function byActivity(conversations: readonly ConversationData[]): ConversationData[] {
  return [...conversations].sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id.localeCompare(a.id));
}

/** Conversations whose title or other person matches `filter` (case-insensitive), optionally only unread ones. */
export function filterConversations(conversations: readonly ConversationData[], filter: string, unreadOnly: boolean): ConversationData[] {
  const needle = filter.trim().toLowerCase();
  return conversations.filter(
    (c) =>
      (!unreadOnly || c.unreadCount > 0) &&
      (!needle || c.title.toLowerCase().includes(needle) || (c.otherUser?.username.toLowerCase().includes(needle) ?? false)),
  );
}

export function useConversations() {
  const { result, loading, error, refetch } = useQuery(ConversationsQuery, {}, { fetchPolicy: 'cache-and-network' });
  const conversations = computed(() => byActivity(result.value?.conversations.nodes ?? []));
  const unreadTotal = computed(() => conversations.value.reduce((sum, c) => sum + (c.muted ? 0 : c.unreadCount), 0));
  return { conversations, unreadTotal, loading, error, refetch };
}

export function useConversation(id: () => string | null) {
  const { result, loading, error } = useQuery(ConversationQuery, () => ({ id: id() ?? '' }), () => ({
    enabled: Boolean(id()),
    fetchPolicy: 'cache-and-network',
  }));
  return { conversation: computed(() => result.value?.conversation ?? null), loading, error };
}
