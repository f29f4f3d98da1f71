/**
 * Marks the open conversation read: when the tab is visible, the history is scrolled to
 * the bottom and there is something past the viewer's cursor (DESIGN.md "Sync").
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { useMutation } from '@vue/apollo-composable';
import { MarkReadMutation, type ConversationData } from '../graphql/messenger';

/**
 * The seq to mark read now, or null when there is nothing to do. `inFlight` is the seq of a
 * `markRead` not yet answered (0 when none): asking for it again would be a second request
 * for the same thing.
 */
export function seqToMarkRead(state: { visible: boolean; atBottom: boolean; seq: number; lastReadSeq: number; inFlight: number }): number | null {
  if (!state.visible || !state.atBottom) return null;
  if (state.seq <= state.lastReadSeq || state.seq <= state.inFlight) return null;
  return state.seq;
}

/** Whether the page is visible, kept current. */
export function usePageVisible(): Ref<boolean> {
  const visible = ref(document.visibilityState === 'visible');
  const update = () => (visible.value = document.visibilityState === 'visible');
  document.addEventListener('visibilitychange', update);
  onBeforeUnmount(() => document.removeEventListener('visibilitychange', update));
  return visible;
}

export function useConversationViewRead(conversation: Ref<ConversationData | null>, atBottom: Readonly<Ref<boolean>>): void {
  const visible = usePageVisible();
  const { mutate } = useMutation(MarkReadMutation);
  // Only the request under way is remembered, not every seq ever asked for: an answer to the
  // conversation's own query that was sent before the mark and arrives after it brings the old
  // read cursor back into the cache, and the conversation is then marked again (the server keeps
  // the cursor where it is, and its answer puts it right in the cache).
  let inFlight = 0;
  watch(
    () => [visible.value, atBottom.value, conversation.value?.seq, conversation.value?.lastReadSeq] as const,
    () => {
      const c = conversation.value;
      if (!c) return;
      const seq = seqToMarkRead({ visible: visible.value, atBottom: atBottom.value, seq: c.seq, lastReadSeq: c.lastReadSeq, inFlight });
      if (seq === null) return;
      inFlight = seq;
      mutate({ conversationId: c.id, seq })
        .catch(() => {})
        .finally(() => {
          if (inFlight === seq) inFlight = 0;
        });
    },
    { immediate: true },
  );
}
