/**
 * The send path in SQL. A message is a messenger's hot write: Prisma would spend six
 * round trips on it (BEGIN, take the seq, insert, move the sender's read cursor, read
 * the recipients, COMMIT) and two more on the checks before it; here it is one
 * statement for the checks and one for the write. A statement is atomic by itself: if
 * the insert fails (a retried clientMsgId racing its twin), the seq it took is given
 * back with it, so the sequence stays gap-free.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Sql } from '../../core/db/sql.js';
import { CONVERSATION_COLUMNS, MEMBERSHIP_COLUMNS, MESSAGE_COLUMNS, pickColumns, selectColumns, USER_COLUMNS, usersFromJson } from '../../core/db/rows.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Membership, Message, User } from '../../generated/prisma/client.js';
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

export interface NewTextMessage {
  conversationId: string;
  senderId: string;
  body: string;
  replyToId: string | null;
  clientMsgId: string;
}

export interface StoredMessage {
  message: Message;
  /**
   * Who is sent the message: the members whose history holds it, read in the same
   * statement — or null when another change took a seq while this one waited for the
   * conversation's row lock: the statement's snapshot predates that change (it may have
   * added a member), so the caller reads the recipients again after the commit.
   */
  recipients: string[] | null;
}

/**
 * Stores a text message at the conversation's next seq, makes it the conversation's
 * latest message and the sender's read cursor, in one statement.
 * @returns the stored message, or null when the conversation is gone.
 */
export async function insertTextMessage(sql: Sql, message: NewTextMessage): Promise<StoredMessage | null> {
  const { conversationId, senderId, body, replyToId, clientMsgId } = message;
  const rows = await sql.rows<Message & { recipients: string[] | null }>`
    WITH seen AS (
      SELECT seq FROM conversations WHERE id = ${conversationId}::uuid
    ), next AS (
      UPDATE conversations
      SET seq = seq + 1, last_message_seq = seq + 1, last_message_at = now(), updated_at = now()
      WHERE id = ${conversationId}::uuid
      RETURNING seq
    ), m AS (
      INSERT INTO messages (id, conversation_id, seq, updated_seq, sender_id, body, reply_to_id, client_msg_id)
      SELECT ${uuidv7()}::uuid, ${conversationId}::uuid, next.seq, next.seq, ${senderId}::uuid, ${body}, ${replyToId}::uuid, ${clientMsgId}
      FROM next
      RETURNING *
    ), own_read AS (
      UPDATE memberships SET last_read_seq = next.seq
      FROM next
      WHERE conversation_id = ${conversationId}::uuid AND user_id = ${senderId}::uuid
    )
    SELECT ${selectColumns('m', MESSAGE_COLUMNS)},
      CASE WHEN m.seq = seen.seq + 1 THEN ARRAY(
        SELECT user_id::text FROM memberships
        WHERE conversation_id = ${conversationId}::uuid AND GREATEST(hidden_up_to_seq, joined_seq) < m.seq
      ) END AS recipients
    FROM m CROSS JOIN seen`;
  const row = rows[0];
  if (!row) return null;
  const { recipients, ...stored } = row;
  return { message: stored, recipients };
}

export interface HistoryRows {
  /** null when the viewer is not a member (or there is no such conversation). */
  membership: Membership | null;
  /** In the order asked: oldest first after a seq, newest first otherwise. */
  messages: Message[];
  /** Who sent them: nearly every history query shows the senders. */
  senders: User[];
}

/**
 * A page of history with the membership that decides what of it the viewer may see,
 * in one query: scrolling is the most frequent read there is.
 */
export async function historyRows(
  sql: Sql,
  viewerId: string,
  conversationId: string,
  page: { before: number | null; after: number | null; take: number },
): Promise<HistoryRows> {
  const visible = Prisma.sql`m.conversation_id = mb.conversation_id AND m.seq > GREATEST(mb.hidden_up_to_seq, mb.joined_seq)`;
  // Two statements, not one with a computed ORDER BY: each direction must read the (conversation_id, seq) index in order.
  const forward = page.after !== null;
  const slice = forward
    ? Prisma.sql`SELECT * FROM messages m WHERE ${visible} AND m.seq > ${page.after} ORDER BY m.seq ASC LIMIT ${page.take}`
    : Prisma.sql`SELECT * FROM messages m WHERE ${visible} AND m.seq < ${page.before ?? 2 ** 31 - 1} ORDER BY m.seq DESC LIMIT ${page.take}`;
  const rows = await sql.rows<Record<string, unknown>>`
    WITH page AS (
      SELECT ${selectColumns('mb', MEMBERSHIP_COLUMNS, 'mb_')}, ${selectColumns('m', MESSAGE_COLUMNS)}
      FROM memberships mb
      LEFT JOIN LATERAL (${slice}) m ON true
      WHERE mb.conversation_id = ${conversationId}::uuid AND mb.user_id = ${viewerId}::uuid
    )
    SELECT page.*, CASE WHEN row_number() OVER () = 1 THEN (
      SELECT json_agg(u) FROM (SELECT ${selectColumns('u', USER_COLUMNS)} FROM users u WHERE u.id IN (SELECT "senderId" FROM page)) u
    ) END AS senders
    FROM page
    ORDER BY page.seq ${Prisma.raw(forward ? 'ASC' : 'DESC')}`;
  if (rows.length === 0) return { membership: null, messages: [], senders: [] };
  return {
    membership: pickColumns(rows[0]!, MEMBERSHIP_COLUMNS, 'mb_'),
    messages: rows.flatMap((row) => pickColumns(row, MESSAGE_COLUMNS) ?? []),
    // (on one row only, whichever the window numbered first)
    senders: usersFromJson((rows.find((row) => row.senders != null)?.senders ?? null) as Record<string, unknown>[] | null),
  };
}
