import { describe, expect, it } from 'vitest';
import { shouldAskToVerify } from './useEmailBanner';

describe('shouldAskToVerify', () => {
  it('asks a signed-in user whose address is not confirmed', () => {
    expect(shouldAskToVerify({ id: 'u1', emailVerified: false }, null)).toBe(true);
  });

  it('does not ask once the address is confirmed, or without a user', () => {
    expect(shouldAskToVerify({ id: 'u1', emailVerified: true }, null)).toBe(false);
    expect(shouldAskToVerify(null, null)).toBe(false);
  });

  it('keeps quiet for the user who put it off in this tab, not for another', () => {
    expect(shouldAskToVerify({ id: 'u1', emailVerified: false }, 'u1')).toBe(false);
    expect(shouldAskToVerify({ id: 'u2', emailVerified: false }, 'u1')).toBe(true);
  });
});
