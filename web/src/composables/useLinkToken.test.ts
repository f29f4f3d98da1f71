import { describe, expect, it } from 'vitest';
import { tokenFromHash } from './useLinkToken';

describe('tokenFromHash', () => {
  it('reads the token of a mailed link’s fragment', () => {
    expect(tokenFromHash('#token=abc_DEF-123')).toBe('abc_DEF-123');
    expect(tokenFromHash('token=abc')).toBe('abc');
  });

  it('decodes what the mail encoded', () => {
    expect(tokenFromHash(`#token=${encodeURIComponent('a+b/c=')}`)).toBe('a+b/c=');
  });

  it('finds the token among other parameters', () => {
    expect(tokenFromHash('#utm=mail&token=xyz')).toBe('xyz');
  });

  it('has none for an empty or foreign fragment', () => {
    expect(tokenFromHash('')).toBeNull();
    expect(tokenFromHash('#')).toBeNull();
    expect(tokenFromHash('#token=')).toBeNull();
    expect(tokenFromHash('#section-2')).toBeNull();
  });
});
