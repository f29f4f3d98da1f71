import { describe, expect, it } from 'vitest';
import { emailLinkState } from './useEmailLink';

describe('emailLinkState', () => {
  it('tells a dead link from an address taken meanwhile', () => {
    expect(emailLinkState({ code: 'INVALID_TOKEN', message: '', fields: [] })).toBe('invalid');
    const taken = { code: 'CONFLICT' as const, message: '', fields: [{ field: 'newEmail', constraint: 'unique', message: 'Taken.' }] };
    expect(emailLinkState(taken)).toBe('taken');
  });

  it('leaves anything else to the error message', () => {
    expect(emailLinkState({ code: 'NETWORK', message: '', fields: [] })).toBe('failed');
    expect(emailLinkState({ code: 'RATE_LIMITED', message: '', fields: [], retryAfter: 5 })).toBe('failed');
  });
});
