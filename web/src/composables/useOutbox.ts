/**
 * Optimistic sending. A message shows at once as pending, keyed by its clientMsgId; it
 * becomes the stored message when the server acknowledges it (after commit), or failed
 * with a retry. A retry reuses the clientMsgId, so the server never stores it twice.
 * Failed messages are retried by themselves when the connection comes back. The answer
 * enters the history through sync/history.ts, like its echo from `events`: whichever comes
 * first adds it, the other finds it there.
 */
import { computed, reactive } from 'vue';
import { useApolloClient } from '@vue/apollo-composable';
import { SendMessageMutation, type MessageData } from '../graphql/messenger';
import { onReconnected } from '../plugins/apollo';
import { writeMessages } from '../sync/history';
import { cancelAttachments, uploadAttachments, type OutgoingAttachment } from '../media/outgoing';
import type { StickerData } from '../graphql/stickers';

export interface OutgoingMessage {
  clientMsgId: string;
  conversationId: string;
  body: string;
  replyToId: string | null;
  /** Photos or a file, uploaded at each attempt until all are (media/outgoing.ts). */
  attachments?: OutgoingAttachment[];
  /** A sticker message's sticker. */
  sticker?: StickerData | null;
  status: 'pending' | 'failed';
  createdAt: string;
}

const outbox = reactive(new Map<string, OutgoingMessage>());

export function newClientMsgId(): string {
  return crypto.randomUUID();
}

export function useOutbox(conversationId: () => string | null) {
  const { client } = useApolloClient();

  async function deliver(item: OutgoingMessage): Promise<MessageData | null> {
    item.status = 'pending';
    try {
      const mediaIds = item.attachments?.length ? await uploadAttachments(item.attachments) : null;
      // Discarded while uploading; or every attachment cancelled, and no caption to send instead.
      if (!outbox.has(item.clientMsgId) || (mediaIds?.length === 0 && !item.body)) {
        outbox.delete(item.clientMsgId);
        return null;
      }
      const content = mediaIds?.length ? { mediaIds } : item.sticker ? { stickerId: item.sticker.id } : {};
      const { data } = await client.mutate({
        mutation: SendMessageMutation,
        variables: { input: { conversationId: item.conversationId, clientMsgId: item.clientMsgId, body: item.body, replyToId: item.replyToId, ...content } },
        fetchPolicy: 'no-cache',
      });
      const sent = data?.sendMessage ?? null;
      if (sent) writeMessages(client.cache, item.conversationId, { source: 'mutation', messages: [sent] });
      outbox.delete(item.clientMsgId);
      return sent;
    } catch (error) {
      item.status = 'failed';
      throw error;
    }
  }

  return {
    /** The pending and failed messages of this conversation, oldest first. */
    outgoing: computed(() => [...outbox.values()].filter((m) => m.conversationId === conversationId())),
    async send(body: string, replyToId: string | null = null, content: Pick<OutgoingMessage, 'attachments' | 'sticker'> = {}): Promise<MessageData | null> {
      const id = conversationId();
      if (!id) return null;
      const item: OutgoingMessage = { clientMsgId: newClientMsgId(), conversationId: id, body, replyToId, ...content, status: 'pending', createdAt: new Date().toISOString() };
      outbox.set(item.clientMsgId, item);
      return deliver(outbox.get(item.clientMsgId)!).catch(() => null);
    },
    retry(clientMsgId: string): Promise<MessageData | null> {
      const item = outbox.get(clientMsgId);
      return item ? deliver(item).catch(() => null) : Promise.resolve(null);
    },
    discard(clientMsgId: string): void {
      cancelAttachments(outbox.get(clientMsgId)?.attachments ?? []);
      outbox.delete(clientMsgId);
    },
    /** Sends again every failed message (after a reconnect). */
    retryAll(): void {
      for (const item of outbox.values()) if (item.status === 'failed') void deliver(item).catch(() => {});
    },
  };
}

/** Retries failed sends when the socket is back (installed once by the realtime session). */
export function retryOutboxOnReconnect(retryAll: () => void): () => void {
  const stop = onReconnected(retryAll);
  window.addEventListener('online', retryAll);
  return () => {
    stop();
    window.removeEventListener('online', retryAll);
  };
}
