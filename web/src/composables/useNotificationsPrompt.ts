import { computed, ref } from 'vue';
import { readStorage, writeStorage } from '../utils/storage';

/** Set once the user answered the browser's question or dismissed ours: we never ask again. */
export const NOTIFICATIONS_PROMPT_KEY = 'dash.notificationsPrompt';

/**
 * Whether to offer desktop notifications: the browser has them, has not been answered yet,
 * the user has not already answered or dismissed our offer, and a message from someone else
 * has just arrived — the moment the offer makes sense, not at every sign-in.
 */
export function shouldOfferNotifications(permission: NotificationPermission | null, stored: string | null, messageReceived: boolean): boolean {
  return permission === 'default' && stored === null && messageReceived;
}

function currentPermission(): NotificationPermission | null {
  return typeof Notification === 'undefined' ? null : Notification.permission;
}

/** A message from someone else arrived in this tab (set by the realtime session). */
const messageReceived = ref(false);
/** Answered or dismissed in this tab (also remembered in storage for the next ones). */
const settled = ref(readStorage(NOTIFICATIONS_PROMPT_KEY));

/** Tells the offer that a message from someone else arrived: it may show now. */
export function noteMessageReceived(): void {
  messageReceived.value = true;
}

/** The polite offer of desktop notifications: shown after the first message received, until answered or dismissed, then never again. */
export function useNotificationsPrompt() {
  const visible = computed(() => shouldOfferNotifications(currentPermission(), settled.value, messageReceived.value));

  function settle(outcome: string): void {
    settled.value = outcome;
    writeStorage(NOTIFICATIONS_PROMPT_KEY, outcome);
  }

  /** Asks the browser; whatever the answer, the offer is done. */
  async function enable(): Promise<void> {
    if (typeof Notification === 'undefined') return settle('unsupported');
    try {
      settle(await Notification.requestPermission());
    } catch {
      settle('failed');
    }
  }

  function dismiss(): void {
    settle('dismissed');
  }

  return { visible, enable, dismiss };
}
