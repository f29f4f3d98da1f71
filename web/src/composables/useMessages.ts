/**
 * A conversation's history: read from the cache; fetched page by page (the newest when the
 * conversation opens, older ones scrolling back); and the viewer's edits and deletions, for
 * everyone or for themselves. What is fetched enters the cache, and what is deleted for the
 * viewer leaves it, through sync/history.ts, as events and sends do.
 */
import { computed, ref, shallowRef, watch } from 'vue';
import { useApolloClient } from '@vue/apollo-composable';
import { DeleteMessageForMeMutation, DeleteMessageMutation, EditMessageMutation, MessagesQuery, type MessageData } from '../graphql/messenger';
import { watchHistory, writeMessages, type LoadedHistory } from '../sync/history';

export const PAGE = 50;

export function useMessages(conversationId: () => string | null) {
  const { client } = useApolloClient();
  const history = shallowRef<LoadedHistory | null>(null);
  const messages = computed(() => history.value?.messages ?? []);
  const hasOlder = computed(() => history.value?.hasMore ?? false);
  const loading = ref(false);
  const loadingOlder = ref(false);

  // Fetched without Apollo writing the answer itself: it would bypass the history's writer.
  async function fetchPage(id: string, before?: number): Promise<void> {
    const { data } = await client.query({ query: MessagesQuery, variables: { conversationId: id, before, limit: PAGE }, fetchPolicy: 'no-cache' });
    writeMessages(client.cache, id, { source: 'page', messages: data.messages.messages, hasMore: data.messages.hasMore });
  }

  function takeAnswer(message: MessageData | undefined): void {
    if (message) writeMessages(client.cache, message.conversationId, { source: 'mutation', messages: [message] });
  }

  // The newest page whenever a conversation opens, even over a cached history: the cache shows
  // at once, and the page mends what a failed sync step may have left behind.
  let opening = 0;
  watch(
    conversationId,
    async (id, _, onCleanup) => {
      history.value = null;
      if (!id) return;
      onCleanup(watchHistory(client.cache, id, (next) => (history.value = next)));
      const ticket = ++opening;
      loading.value = true;
      try {
        await fetchPage(id);
      } catch {
        // Offline: what the cache holds is shown, and the sync engine catches up on reconnect.
      } finally {
        if (ticket === opening) loading.value = false;
      }
    },
    { immediate: true },
  );

  /** Loads the page before the oldest message shown; resolves once it shows. */
  async function loadOlder(): Promise<void> {
    const id = conversationId();
    const oldest = messages.value[0];
    if (!id || !oldest || !hasOlder.value || loadingOlder.value) return;
    loadingOlder.value = true;
    try {
      await fetchPage(id, oldest.seq);
    } finally {
      loadingOlder.value = false;
    }
  }

  /** Edits one of the viewer's messages. */
  async function editMessage(messageId: string, body: string): Promise<void> {
    const { data } = await client.mutate({ mutation: EditMessageMutation, variables: { messageId, body }, fetchPolicy: 'no-cache' });
    takeAnswer(data?.editMessage);
  }

  /** Deletes a message: the viewer's own, or any in a group the viewer moderates. */
  async function deleteMessage(messageId: string): Promise<void> {
    const { data } = await client.mutate({ mutation: DeleteMessageMutation, variables: { messageId }, fetchPolicy: 'no-cache' });
    takeAnswer(data?.deleteMessage);
  }

  /**
   * Deletes a message for the viewer alone: it leaves this history as soon as the server says so
   * (the MessageHiddenEvent that follows, here and on the viewer's other devices, does the rest).
   */
  async function deleteMessageForMe(message: MessageData): Promise<void> {
    await client.mutate({ mutation: DeleteMessageForMeMutation, variables: { messageId: message.id }, fetchPolicy: 'no-cache' });
    writeMessages(client.cache, message.conversationId, { source: 'hidden', messageIds: [message.id] });
  }

  return { messages, hasOlder, loading, loadingOlder, loadOlder, editMessage, deleteMessage, deleteMessageForMe };
}
