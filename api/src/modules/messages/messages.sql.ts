/**
 * What a send checks first, in one statement where Prisma would spend two: the sender's
 * membership and an earlier send with the same clientMsgId. The write is the change log's
 * (conversations.changes.ts).
 */
import type { Sql } from '../../core/db/sql.js';
import { CONVERSATION_COLUMNS, MEMBERSHIP_COLUMNS, MESSAGE_COLUMNS, pickColumns, selectColumns } from '../../core/db/rows.js';
import type { Message } from '../../generated/prisma/client.js';
import type { MembershipWithConversation } from '../conversations/conversations.service.js';

export interface SendContext {
  /** The sender's membership, null when they are not a member (or there is no such conversation). */
  membership: MembershipWithConversation | null;
  /** The sender's earlier message with the same clientMsgId, in any conversation. */
  earlier: Message | null;
}

/** What a send needs to know first, in one query. */
export async function sendContext(sql: Sql, senderId: string, conversationId: string, clientMsgId: string): Promise<SendContext> {
  const rows = await sql.rows<Record<string, unknown>>`
    SELECT ${selectColumns('mb', MEMBERSHIP_COLUMNS)}, ${selectColumns('c', CONVERSATION_COLUMNS, 'c_')}, ${selectColumns('e', MESSAGE_COLUMNS, 'e_')}
    FROM (SELECT 1) AS one
    LEFT JOIN memberships mb ON mb.conversation_id = ${conversationId}::uuid AND mb.user_id = ${senderId}::uuid
    LEFT JOIN conversations c ON c.id = mb.conversation_id
    LEFT JOIN messages e ON e.sender_id = ${senderId}::uuid AND e.client_msg_id = ${clientMsgId}`;
  const row = rows[0]!;
  const membership = pickColumns(row, MEMBERSHIP_COLUMNS);
  return {
    membership: membership && { ...membership, conversation: pickColumns(row, CONVERSATION_COLUMNS, 'c_')! },
    earlier: pickColumns(row, MESSAGE_COLUMNS, 'e_'),
  };
}
