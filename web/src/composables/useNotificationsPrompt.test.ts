import { describe, expect, it } from 'vitest';
import { shouldOfferNotifications } from './useNotificationsPrompt';

describe('desktop notifications offer', () => {
  it('is made only while the browser has not been answered and we were not dismissed', () => {
    expect(shouldOfferNotifications('default', null)).toBe(true);
    expect(shouldOfferNotifications('default', 'dismissed')).toBe(false);
    expect(shouldOfferNotifications('granted', null)).toBe(false);
    expect(shouldOfferNotifications('denied', null)).toBe(false);
    expect(shouldOfferNotifications(null, null)).toBe(false);
  });
});
