import { describe, expect, it } from 'vitest';
import { afterFailure, PENDING_LIMIT_MS } from './useOutbox';

const error = (code: 'NETWORK' | 'UNAVAILABLE' | 'FORBIDDEN' | 'RATE_LIMITED') => ({ code, message: '', fields: [] });

describe('afterFailure', () => {
  it('keeps a send pending while there is no connection', () => {
    expect(afterFailure(error('NETWORK'), 0)).toBe('wait');
    expect(afterFailure(error('UNAVAILABLE'), PENDING_LIMIT_MS - 1)).toBe('wait');
  });

  it('fails it once it has waited too long', () => {
    expect(afterFailure(error('NETWORK'), PENDING_LIMIT_MS)).toBe('fail');
  });

  it('fails it at once when the server refuses it', () => {
    expect(afterFailure(error('FORBIDDEN'), 0)).toBe('fail');
    expect(afterFailure(error('RATE_LIMITED'), 0)).toBe('fail');
  });
});
