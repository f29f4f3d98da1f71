/**
 * While someone is signed in: the realtime stream, retries of failed sends, desktop
 * notifications for new messages when the tab is hidden, and the unread total in the
 * tab title. Called once, by App.vue.
 */
import { onBeforeUnmount, watch } from 'vue';
import { useApolloClient } from '@vue/apollo-composable';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { startRealtime, type Realtime } from '../sync/realtime';
import type { MessageData } from '../graphql/messenger';
import { conversationTitle } from '../components/conversation-list/title';
import { useConversations } from './useConversations';
import { useMe } from './useMe';
import { retryOutboxOnReconnect, useOutbox } from './useOutbox';
import { noteMessageReceived } from './useNotificationsPrompt';

export function titleWithUnread(unread: number, appName = 'Dash'): string {
  return unread > 0 ? `(${unread}) ${appName}` : appName;
}

export function useRealtimeSession() {
  const { client } = useApolloClient();
  const { me } = useMe();
  const { conversations, unreadTotal } = useConversations();
  const { retryAll } = useOutbox(() => null);
  const router = useRouter();
  const { t } = useI18n();
  let realtime: Realtime | null = null;
  const stopRetries = retryOutboxOnReconnect(retryAll);

  function notify(conversationId: string, message: MessageData) {
    noteMessageReceived();
    const conversation = conversations.value.find((c) => c.id === conversationId);
    if (!document.hidden || conversation?.muted || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const notification = new Notification(conversation ? conversationTitle(conversation, t) : (message.sender?.displayName ?? t('app.name')), {
      // A photo without a caption, a file or a sticker: the kind in words, as the list says it.
      body: message.body.slice(0, 140) || (message.kind === 'TEXT' ? '' : t(`list.preview.${message.kind}`)),
      tag: conversationId,
    });
    notification.onclick = () => {
      window.focus();
      void router.push(`/chats/${conversationId}`);
    };
  }

  watch(
    () => me.value?.id ?? null,
    (viewerId) => {
      realtime?.stop();
      realtime = viewerId ? startRealtime(client as never, viewerId, notify) : null;
    },
    { immediate: true },
  );
  watch(unreadTotal, (unread) => (document.title = titleWithUnread(unread)), { immediate: true });
  onBeforeUnmount(() => {
    realtime?.stop();
    stopRetries();
  });
}
