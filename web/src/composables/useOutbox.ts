/**
 * Optimistic sending. A message shows at once as pending, keyed by its clientMsgId; it
 * becomes the stored message when the server acknowledges it (after commit). While there is
 * no connection (offline, the server restarting) it stays pending and goes out by itself when
 * the connection is back; it is failed, with the reason, only when the server refuses it or
 * after {@link PENDING_LIMIT_MS} without an answer (and a failed one is still sent again
 * at the next reconnect). Every attempt reuses the clientMsgId, so the server never stores
 * it twice. The answer enters the history through sync/history.ts, like its echo from
 * `events`: whichever comes first adds it, the other finds it there.
 */
import { computed, reactive } from 'vue';
import { useApolloClient } from '@vue/apollo-composable';
import { SendMessageMutation, type MessageData } from '../graphql/messenger';
import { toClientError, type ClientError } from '../graphql/errors';
import { onReconnected } from '../plugins/apollo';
import { writeMessages } from '../sync/history';
import type { OutgoingAttachment } from '../media/outgoing';
import type { StickerData } from '../graphql/stickers';

/** How long a send may wait for a connection before it shows as failed. */
export const PENDING_LIMIT_MS = 60_000;

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
  /** Why it failed: the server's refusal, or `NETWORK` when no answer came in time. */
  failure: Pick<ClientError, 'code' | 'message'> | null;
}

/**
 * What a failed attempt means for a send: no answer at all (or the server saying it is
 * unavailable) leaves it waiting for the connection until it has waited too long; anything
 * the server answered is a refusal.
 */
export function afterFailure(error: ClientError, waitedMs: number): 'wait' | 'fail' {
  const noAnswer = error.code === 'NETWORK' || error.code === 'UNAVAILABLE';
  return noAnswer && waitedMs < PENDING_LIMIT_MS ? 'wait' : 'fail';
}

const outbox = reactive(new Map<string, OutgoingMessage>());
/** Sends waiting for the connection, with the timer that fails them when it does not come. */
const waiting = new Map<string, ReturnType<typeof setTimeout>>();

export function newClientMsgId(): string {
  return crypto.randomUUID();
}

function stopWaiting(clientMsgId: string): void {
  clearTimeout(waiting.get(clientMsgId));
  waiting.delete(clientMsgId);
}

export function useOutbox(conversationId: () => string | null) {
  const { client } = useApolloClient();

  async function deliver(item: OutgoingMessage): Promise<MessageData | null> {
    stopWaiting(item.clientMsgId);
    item.status = 'pending';
    item.failure = null;
    try {
      // The upload code loads with the first message that has attachments: /login's bundle goes without it.
      const mediaIds = item.attachments?.length ? await (await import('../media/outgoing')).uploadAttachments(item.attachments) : null;
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
    } catch (thrown) {
      const error = toClientError(thrown);
      const waited = Date.now() - Date.parse(item.createdAt);
      if (afterFailure(error, waited) === 'wait') {
        // Still pending: the next reconnect sends it; if none comes in time, it shows as failed.
        waiting.set(item.clientMsgId, setTimeout(() => fail(item.clientMsgId, { code: 'NETWORK', message: '' }), PENDING_LIMIT_MS - waited));
        return null;
      }
      fail(item.clientMsgId, error);
      throw thrown;
    }
  }

  function fail(clientMsgId: string, error: Pick<ClientError, 'code' | 'message'>): void {
    stopWaiting(clientMsgId);
    const item = outbox.get(clientMsgId);
    if (!item) return;
    item.status = 'failed';
    item.failure = { code: error.code, message: error.message };
  }

  return {
    /** The pending and failed messages of this conversation, oldest first. */
    outgoing: computed(() => [...outbox.values()].filter((m) => m.conversationId === conversationId())),
    async send(body: string, replyToId: string | null = null, content: Pick<OutgoingMessage, 'attachments' | 'sticker'> = {}): Promise<MessageData | null> {
      const id = conversationId();
      if (!id) return null;
      const item: OutgoingMessage = { clientMsgId: newClientMsgId(), conversationId: id, body, replyToId, ...content, status: 'pending', createdAt: new Date().toISOString(), failure: null };
      outbox.set(item.clientMsgId, item);
      return deliver(outbox.get(item.clientMsgId)!).catch(() => null);
    },
    retry(clientMsgId: string): Promise<MessageData | null> {
      const item = outbox.get(clientMsgId);
      return item ? deliver(item).catch(() => null) : Promise.resolve(null);
    },
    discard(clientMsgId: string): void {
      stopWaiting(clientMsgId);
      const attachments = outbox.get(clientMsgId)?.attachments;
      if (attachments?.length) void import('../media/outgoing').then((media) => media.cancelAttachments(attachments));
      outbox.delete(clientMsgId);
    },
    /** Sends again every failed message and every one waiting for the connection (after a reconnect), oldest first. */
    retryAll(): void {
      for (const item of outbox.values()) {
        if (item.status === 'failed' || waiting.has(item.clientMsgId)) void deliver(item).catch(() => {});
      }
    },
  };
}

/** Retries failed and waiting sends when the socket is back (installed once by the realtime session). */
export function retryOutboxOnReconnect(retryAll: () => void): () => void {
  const stop = onReconnected(retryAll);
  window.addEventListener('online', retryAll);
  return () => {
    stop();
    window.removeEventListener('online', retryAll);
  };
}
