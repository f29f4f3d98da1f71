/**
 * Media URLs are signed for a short while (MEDIA_URL_TTL): a history kept open longer holds
 * some that have run out. When an image fails to load, its message is read again (fresh
 * URLs) and enters the cache through the history's one writer; once per URL, so media that
 * are gone for good (deleted with their message) are not asked for in a loop.
 */
import { useApolloClient } from '@vue/apollo-composable';
import { MessagesQuery, type MessageData } from '../graphql/messenger';
import { writeMessages } from '../sync/history';

const tried = new Set<string>();

export function useMediaRefresh() {
  const { client } = useApolloClient();
  return async function refresh(message: Pick<MessageData, 'conversationId' | 'seq'>, failedUrl: string): Promise<void> {
    if (tried.has(failedUrl)) return;
    tried.add(failedUrl);
    try {
      const { data } = await client.query({ query: MessagesQuery, variables: { conversationId: message.conversationId, before: message.seq + 1, limit: 1 }, fetchPolicy: 'no-cache' });
      writeMessages(client.cache, message.conversationId, { source: 'page', messages: data.messages.messages, hasMore: data.messages.hasMore });
    } catch {
      // Offline: the next failure after the connection is back asks again with the URL it then has.
      tried.delete(failedUrl);
    }
  };
}
