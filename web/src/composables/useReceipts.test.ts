import { describe, expect, it } from 'vitest';
import { othersReadSeq, receiptStatus } from './useReceipts';

const member = (id: string, lastReadSeq: number) => ({ lastReadSeq, user: { id } as never });

describe('receipts', () => {
  it('takes the furthest cursor of the other members, ignoring the viewer', () => {
    expect(othersReadSeq([member('me', 50), member('a', 7), member('b', 12)], 'me')).toBe(12);
    expect(othersReadSeq([member('me', 50)], 'me')).toBe(0);
  });

  it('marks a message read once a cursor reaches its seq', () => {
    expect(receiptStatus(12, 12)).toBe('read');
    expect(receiptStatus(13, 12)).toBe('sent');
  });
});
