/** Receipts on the viewer's own messages, from the other members' read cursors (DESIGN.md "Sync"). */
import type { MemberData } from '../graphql/messenger';

export type ReceiptStatus = 'pending' | 'failed' | 'sent' | 'read';

/** The furthest any other member has read (0 when nobody has). */
export function othersReadSeq(members: readonly Pick<MemberData, 'lastReadSeq' | 'user'>[], viewerId: string | null): number {
  return members.reduce((max, m) => (m.user.id === viewerId ? max : Math.max(max, m.lastReadSeq)), 0);
}

/** A stored message is read once someone else's cursor reaches its seq. */
export function receiptStatus(seq: number, readSeq: number): ReceiptStatus {
  return readSeq >= seq ? 'read' : 'sent';
}
