/**
 * The one way a change enters a conversation: inside the change's transaction, take
 * the conversation's next `seq` (the row lock orders concurrent writers, and a rolled
 * back change gives its number back, so the sequence has no gaps) and, for changes
 * that are not plain messages, record a SYSTEM message at that seq.
 */
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import type { Message } from '../../generated/prisma/client.js';
import type { SystemEventRecord } from '../messages/messages.records.js';

/** A Prisma transaction client. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * Takes the next seq of a conversation. With `message`, the seq also becomes the
 * conversation's latest message (for previews, unread counts and ordering by activity).
 */
export async function nextSeq(tx: Tx, conversationId: string, message: boolean): Promise<number> {
  const rows = await tx.$queryRaw<{ seq: number }[]>`
    UPDATE conversations
    SET seq = seq + 1,
        last_message_seq = CASE WHEN ${message} THEN seq + 1 ELSE last_message_seq END,
        last_message_at = CASE WHEN ${message} THEN now() ELSE last_message_at END,
        updated_at = now()
    WHERE id = ${conversationId}::uuid
    RETURNING seq`;
  if (!rows[0]) throw new Error(`conversation ${conversationId} vanished inside its own change`);
  return rows[0].seq;
}

/** Records a membership or title change as a SYSTEM message at the next seq. */
export async function systemMessage(tx: Tx, conversationId: string, event: SystemEventRecord): Promise<Message> {
  const seq = await nextSeq(tx, conversationId, true);
  return tx.message.create({
    data: { conversationId, seq, updatedSeq: seq, senderId: event.actorId, kind: 'SYSTEM', body: '', event },
  });
}

/** Everyone in the conversation right now, as seen inside the transaction. */
export async function memberIds(tx: Tx, conversationId: string): Promise<string[]> {
  const rows = await tx.membership.findMany({ where: { conversationId }, select: { userId: true } });
  return rows.map((row) => row.userId);
}

/**
 * The members who can see the message at `seq`: an edit or deletion of a message is not
 * news to those whose visible history starts after it (they joined later, or deleted
 * the conversation for themselves since).
 */
export async function membersSeeing(tx: Tx | PrismaClient, conversationId: string, seq: number): Promise<string[]> {
  const rows = await tx.$queryRaw<{ user_id: string }[]>`
    SELECT user_id FROM memberships
    WHERE conversation_id = ${conversationId}::uuid AND GREATEST(hidden_up_to_seq, joined_seq) < ${seq}`;
  return rows.map((row) => row.user_id);
}
