/**
 * Marks the open conversation read: when the tab is visible, the history is scrolled to
 * the bottom and there is something past the viewer's cursor (DESIGN.md "Sync").
 */
import { onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { useMutation } from '@vue/apollo-composable';
import { MarkReadMutation, type ConversationData } from '../graphql/messenger';

/** The seq to mark read now, or null when there is nothing to do. */
export function seqToMarkRead(state: { visible: boolean; atBottom: boolean; seq: number; lastReadSeq: number; requested: number }): number | null {
  if (!state.visible || !state.atBottom) return null;
  if (state.seq <= state.lastReadSeq || state.seq <= state.requested) return null;
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

export function useConversationViewRead(conversation: Ref<ConversationData | null>, atBottom: Ref<boolean>): void {
  const visible = usePageVisible();
  const { mutate } = useMutation(MarkReadMutation);
  let requested = 0;
  watch(
    () => [visible.value, atBottom.value, conversation.value?.seq, conversation.value?.lastReadSeq] as const,
    () => {
      const c = conversation.value;
      if (!c) return;
      const seq = seqToMarkRead({ visible: visible.value, atBottom: atBottom.value, seq: c.seq, lastReadSeq: c.lastReadSeq, requested });
      if (seq === null) return;
      requested = seq;
      mutate({ conversationId: c.id, seq }).catch(() => {
        requested = 0;
      });
    },
    { immediate: true },
  );
}
