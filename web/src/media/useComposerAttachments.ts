/**
 * The composer's tray: the photos and files picked, pasted or dropped, until they are sent.
 * Sending turns the tray and the caption into messages (attachments.ts, planMessages) that go
 * through the outbox like text: pending at once, uploaded and sent with one clientMsgId each.
 * A sticker picked goes the same way at once, as a message of its own.
 */
import { computed, ref, watch } from 'vue';
import { useOutbox } from '../composables/useOutbox';
import type { StickerData } from '../graphql/stickers';
import { planMessages } from './attachments';
import { cancelAttachment, prepareAttachment, type OutgoingAttachment } from './outgoing';

/** At most this many items wait in the tray. */
export const TRAY_MAX = 20;

export function useComposerAttachments(conversationId: () => string) {
  const items = ref<OutgoingAttachment[]>([]);
  const preparing = ref(0);
  const outbox = useOutbox(conversationId);

  // A tray belongs to its conversation: switching drops it.
  watch(conversationId, () => clear());

  async function add(files: readonly File[]): Promise<void> {
    const room = Math.max(0, TRAY_MAX - items.value.length - preparing.value);
    const taken = files.slice(0, room);
    preparing.value += taken.length;
    try {
      const prepared = await Promise.all(taken.map(prepareAttachment));
      items.value.push(...prepared);
    } finally {
      preparing.value -= taken.length;
    }
  }

  function remove(key: string): void {
    cancelAttachment(items.value, key);
  }

  function clear(): void {
    for (const item of [...items.value]) cancelAttachment(items.value, item.key);
  }

  /** Sends the tray with `caption` (the first message replies to `replyToId`); empties the tray. */
  function send(caption: string, replyToId: string | null): void {
    const planned = planMessages(items.value, caption);
    items.value = [];
    planned.forEach((message, i) => {
      void outbox.send(message.body, i === 0 ? replyToId : null, message.items.length ? { attachments: message.items } : {});
    });
  }

  function sendSticker(sticker: StickerData, replyToId: string | null): void {
    void outbox.send('', replyToId, { sticker });
  }

  return { items, preparing, hasItems: computed(() => items.value.length > 0 || preparing.value > 0), add, remove, send, sendSticker };
}
