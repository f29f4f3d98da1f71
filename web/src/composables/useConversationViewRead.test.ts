import { describe, expect, it } from 'vitest';
import { seqToMarkRead } from './useConversationViewRead';

describe('seqToMarkRead', () => {
  const base = { visible: true, atBottom: true, seq: 10, lastReadSeq: 4, requested: 0 };
  it('marks the latest seq when visible, at the bottom and behind', () => {
    expect(seqToMarkRead(base)).toBe(10);
  });
  it('waits for a visible tab and the bottom, and never asks twice', () => {
    expect(seqToMarkRead({ ...base, visible: false })).toBeNull();
    expect(seqToMarkRead({ ...base, atBottom: false })).toBeNull();
    expect(seqToMarkRead({ ...base, lastReadSeq: 10 })).toBeNull();
    expect(seqToMarkRead({ ...base, requested: 10 })).toBeNull();
  });
});
