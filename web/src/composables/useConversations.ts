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

/**
 * Where a key moves the focus in a list of `length` rows from `index` (a roving tab index):
 * ArrowDown/ArrowUp one row (stopping at the ends), Home and End to them; null for other keys.
 */
export function rovingTarget(key: string, index: number, length: number): number | null {
  if (length === 0) return null;
  switch (key) {
    case 'ArrowDown':
      return Math.min(length - 1, index + 1);
    case 'ArrowUp':
      return Math.max(0, index - 1);
    case 'Home':
      return 0;
    case 'End':
      return length - 1;
    default:
      return null;
  }
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
