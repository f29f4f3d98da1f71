import { describe, expect, it } from 'vitest';
import { seqToMarkRead } from './useConversationViewRead';

describe('seqToMarkRead', () => {
  const base = { visible: true, atBottom: true, seq: 10, lastReadSeq: 4, inFlight: 0 };
  it('marks the latest seq when visible, at the bottom and behind', () => {
    expect(seqToMarkRead(base)).toBe(10);
  });
  it('waits for a visible tab and the bottom, and does not ask again while a request is under way', () => {
    expect(seqToMarkRead({ ...base, visible: false })).toBeNull();
    expect(seqToMarkRead({ ...base, atBottom: false })).toBeNull();
    expect(seqToMarkRead({ ...base, lastReadSeq: 10 })).toBeNull();
    expect(seqToMarkRead({ ...base, inFlight: 10 })).toBeNull();
    expect(seqToMarkRead({ ...base, seq: 11, inFlight: 10 })).toBe(11);
  });
  it('asks again when a late answer brought an older read cursor back after the request was answered', () => {
    // Marked up to 10 and answered (nothing in flight), then a stale answer says the cursor is at 4.
    expect(seqToMarkRead({ ...base, seq: 10, lastReadSeq: 4, inFlight: 0 })).toBe(10);
  });
});
