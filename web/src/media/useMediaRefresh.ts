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
  /** Reads the message again (fresh URLs) into the cache; the message as read, null when it is gone. */
  async function reread(message: Pick<MessageData, 'conversationId' | 'seq'>): Promise<MessageData | null> {
    const { data } = await client.query({ query: MessagesQuery, variables: { conversationId: message.conversationId, before: message.seq + 1, limit: 1 }, fetchPolicy: 'no-cache' });
    writeMessages(client.cache, message.conversationId, { source: 'page', messages: data.messages.messages, hasMore: data.messages.hasMore });
    return data.messages.messages.find((m) => m.seq === message.seq) ?? null;
  }
  return {
    /** An image failed to load: once per URL, so media gone for good are not asked for in a loop. */
    async refresh(message: Pick<MessageData, 'conversationId' | 'seq'>, failedUrl: string): Promise<void> {
      if (tried.has(failedUrl)) return;
      tried.add(failedUrl);
      try {
        await reread(message);
      } catch {
        // Offline: the next failure after the connection is back asks again with the URL it then has.
        tried.delete(failedUrl);
      }
    },
    /** A file's link ran out when someone asked for it: a fresh link to the same media, null when there is none (deleted, offline). */
    async renew(message: Pick<MessageData, 'conversationId' | 'seq'>, mediaId: string): Promise<string | null> {
      const fresh = await reread(message).catch(() => null);
      return fresh?.attachments.find((a) => a.id === mediaId)?.url ?? null;
    },
  };
}
