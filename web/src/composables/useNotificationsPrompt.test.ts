import { describe, expect, it } from 'vitest';
import { shouldOfferNotifications } from './useNotificationsPrompt';

describe('desktop notifications offer', () => {
  it('is made only while the browser has not been answered and we were not dismissed', () => {
    expect(shouldOfferNotifications('default', null, true)).toBe(true);
    expect(shouldOfferNotifications('default', 'dismissed', true)).toBe(false);
    expect(shouldOfferNotifications('granted', null, true)).toBe(false);
    expect(shouldOfferNotifications('denied', null, true)).toBe(false);
    expect(shouldOfferNotifications(null, null, true)).toBe(false);
  });

  it('waits for the first message received: not at sign-in', () => {
    expect(shouldOfferNotifications('default', null, false)).toBe(false);
  });
});
