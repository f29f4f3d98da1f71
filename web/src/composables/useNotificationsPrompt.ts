import { ref } from 'vue';
import { readStorage, writeStorage } from '../utils/storage';

/** Set once the user answered the browser's question or dismissed ours: we never ask again. */
export const NOTIFICATIONS_PROMPT_KEY = 'dash.notificationsPrompt';

/**
 * Whether to offer desktop notifications: the browser has them, has not been answered
 * yet, and the user has not already answered or dismissed our offer.
 */
export function shouldOfferNotifications(permission: NotificationPermission | null, stored: string | null): boolean {
  return permission === 'default' && stored === null;
}

function currentPermission(): NotificationPermission | null {
  return typeof Notification === 'undefined' ? null : Notification.permission;
}

/** The polite offer of desktop notifications: shown until answered or dismissed, then never again. */
export function useNotificationsPrompt() {
  const visible = ref(shouldOfferNotifications(currentPermission(), readStorage(NOTIFICATIONS_PROMPT_KEY)));

  function settle(outcome: string): void {
    visible.value = false;
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
