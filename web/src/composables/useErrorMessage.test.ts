import { describe, expect, it } from 'vitest';
import { retryWait } from './useErrorMessage';

describe('retryWait', () => {
  it('says seconds under a minute, at least one', () => {
    expect(retryWait(0)).toEqual({ value: 1, unit: 'second' });
    expect(retryWait(42.2)).toEqual({ value: 43, unit: 'second' });
    expect(retryWait(59)).toEqual({ value: 59, unit: 'second' });
  });

  it('says minutes, then hours, rounded up so that trying then works', () => {
    expect(retryWait(60)).toEqual({ value: 1, unit: 'minute' });
    expect(retryWait(61)).toEqual({ value: 2, unit: 'minute' });
    expect(retryWait(3599)).toEqual({ value: 60, unit: 'minute' });
    expect(retryWait(3600)).toEqual({ value: 1, unit: 'hour' });
    expect(retryWait(5400)).toEqual({ value: 2, unit: 'hour' });
  });
});
