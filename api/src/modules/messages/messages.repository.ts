/**
 * The message reads: queries only, no rules. MessageService decides who may read what; the
 * statements that filter by what a member sees take the rule's SQL form from
 * conversations/visibility.ts, never their own copy of it.
 *
 * One way into the database per statement family, chosen for what the family needs:
 * - a send's checks and history pages: raw SQL through `sql` (core/db/sql.ts), prepared
 *   statements: every send and every scroll pays for them, each in one statement where Prisma
 *   would spend two or more.
 * - a message as one member finds it (a reply's target, what an edit or a deletion aims at):
 *   also through `sql`, in one statement with the member's membership and whether they hid it.
 * - search, and changes after a seq: raw SQL through Prisma's `$queryRaw`, since both filter by
 *   visibility.ts's SQL form of the rule; search is planned at every run (see {@link MessageRepository.search})
 *   and needs PostgreSQL's full-text operators, which Prisma's client cannot express.
 * - "delete for me" (hidden_messages): raw SQL through Prisma's `$queryRaw`, in a transaction
 *   for the write, which numbers each member's hidden messages per conversation.
 * - lookups by key (a message by its sender's clientMsgId, a user's memberships): Prisma's
 *   client. Plain indexed reads, typed by the client, off the hot path.
 */
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import { CONVERSATION_COLUMNS, MEMBERSHIP_COLUMNS, MESSAGE_COLUMNS, pickColumns, selectColumns, USER_COLUMNS, usersFromJson } from '../../core/db/rows.js';
import type { Sql } from '../../core/db/sql.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Membership, Message, User } from '../../generated/prisma/client.js';
import type { MembershipWithConversation } from '../conversations/conversations.service.js';
import { deletedForMember, visibleToMember } from '../conversations/visibility.js';

export interface HistoryRows {
  /** null when the viewer is not a member (or there is no such conversation). */
  membership: Membership | null;
  /** In the order asked: oldest first after a seq, newest first otherwise. */
  messages: Message[];
  /** Who sent them: nearly every history query shows the senders. */
  senders: User[];
}

export interface SendContext {
  /** The sender's membership, null when they are not a member (or there is no such conversation). */
  membership: MembershipWithConversation | null;
  /** The sender's earlier message with the same clientMsgId, in any conversation. */
  earlier: Message | null;
}

/** A message as one member finds it. */
export interface ViewedMessage {
  message: Message;
  /** Their membership of its conversation, null when they are not a member. */
  membership: MembershipWithConversation | null;
  /** Whether they deleted it for themselves (visibility.ts's `canSee` takes it). */
  hidden: boolean;
}

/** A message one member deleted for themselves, and its number among theirs in its conversation. */
export interface HiddenEntry {
  messageId: string;
  hiddenSeq: number;
}

/** Where a search looks and from where it goes on. */
export interface SearchScope {
  /** Only this conversation (already checked to be one of the viewer's), or all of theirs. */
  conversationId: string | null;
  /** Only messages older than this id (the previous page's last). */
  beforeId: string | null;
}

// Stands in for an absent uuid parameter, so that each statement has one text (and one prepared plan).
const NO_ID = '00000000-0000-0000-0000-000000000000';

export class MessageRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: Sql,
  ) {}

  /** What a send checks first, in one statement where Prisma would spend two. */
  async sendContext(senderId: string, conversationId: string, clientMsgId: string): Promise<SendContext> {
    const rows = await this.sql.rows<Record<string, unknown>>`
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

  /**
   * A page of history the viewer sees, with the membership that decides it, in one query.
   * @param page `take` messages after `after` (oldest first), else before `before` (newest first)
   */
  async historyPage(viewerId: string, conversationId: string, page: { before: number | null; after: number | null; take: number }): Promise<HistoryRows> {
    const visible = visibleToMember('m', 'mb');
    // Two statements, not one with a computed ORDER BY: each direction must read the (conversation_id, seq) index in order.
    const forward = page.after !== null;
    const slice = forward
      ? Prisma.sql`SELECT * FROM messages m WHERE ${visible} AND m.seq > ${page.after} ORDER BY m.seq ASC LIMIT ${page.take}`
      : Prisma.sql`SELECT * FROM messages m WHERE ${visible} AND m.seq < ${page.before ?? 2 ** 31 - 1} ORDER BY m.seq DESC LIMIT ${page.take}`;
    const rows = await this.sql.rows<Record<string, unknown>>`
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

  /**
   * Up to `take` messages of a conversation that the viewer sees (visibility.ts), created or
   * changed after `afterSeq`, in the order of their latest change.
   */
  changedAfter(viewerId: string, conversationId: string, afterSeq: number, take: number): Promise<Message[]> {
    return this.prisma.$queryRaw<Message[]>`
      SELECT ${selectColumns('m', MESSAGE_COLUMNS)}
      FROM messages m
      JOIN memberships mb ON mb.conversation_id = m.conversation_id AND mb.user_id = ${viewerId}::uuid
      WHERE m.conversation_id = ${conversationId}::uuid AND m.updated_seq > ${afterSeq} AND ${visibleToMember('m', 'mb')}
      ORDER BY m.updated_seq ASC
      LIMIT ${take}`;
  }

  /** The message with this id as `viewerId` finds it, in one statement; null when there is no such message. */
  async viewed(viewerId: string, messageId: string): Promise<ViewedMessage | null> {
    const rows = await this.sql.rows<Record<string, unknown>>`
      SELECT ${selectColumns('m', MESSAGE_COLUMNS)}, ${selectColumns('mb', MEMBERSHIP_COLUMNS, 'mb_')}, ${selectColumns('c', CONVERSATION_COLUMNS, 'c_')},
        ${deletedForMember('m', 'mb')} AS hidden
      FROM messages m
      LEFT JOIN memberships mb ON mb.conversation_id = m.conversation_id AND mb.user_id = ${viewerId}::uuid
      LEFT JOIN conversations c ON c.id = mb.conversation_id
      WHERE m.id = ${messageId}::uuid`;
    const row = rows[0];
    if (!row) return null;
    const message = pickColumns(row, MESSAGE_COLUMNS)!;
    const membership = pickColumns(row, MEMBERSHIP_COLUMNS, 'mb_');
    return {
      message,
      membership: membership && { ...membership, conversation: pickColumns(row, CONVERSATION_COLUMNS, 'c_')! },
      hidden: row.hidden === true,
    };
  }

  /**
   * Hides the message from `userId` alone ("delete for me"), numbering it after the ones they
   * hid in its conversation before. Hiding it again changes nothing.
   * @returns its number, and whether this call hid it; null when the user is no longer a member
   */
  hide(userId: string, message: Pick<Message, 'id' | 'conversationId'>): Promise<(HiddenEntry & { fresh: boolean }) | null> {
    return this.prisma.$transaction(async (tx) => {
      // The membership's row lock orders one member's hides in a conversation: each statement
      // after it sees the ones committed before, so the numbers have no gaps and no twins.
      const member = await tx.$queryRaw<{ one: number }[]>`
        SELECT 1 AS one FROM memberships WHERE conversation_id = ${message.conversationId}::uuid AND user_id = ${userId}::uuid FOR NO KEY UPDATE`;
      if (member.length === 0) return null;
      const [fresh] = await tx.$queryRaw<{ hidden_seq: number }[]>`
        INSERT INTO hidden_messages (user_id, message_id, conversation_id, hidden_seq)
        SELECT ${userId}::uuid, ${message.id}::uuid, ${message.conversationId}::uuid, COALESCE(max(hidden_seq), 0) + 1
        FROM hidden_messages WHERE user_id = ${userId}::uuid AND conversation_id = ${message.conversationId}::uuid
        ON CONFLICT (user_id, message_id) DO NOTHING
        RETURNING hidden_seq`;
      if (fresh) return { messageId: message.id, hiddenSeq: fresh.hidden_seq, fresh: true };
      const [earlier] = await tx.$queryRaw<{ hidden_seq: number }[]>`
        SELECT hidden_seq FROM hidden_messages WHERE user_id = ${userId}::uuid AND message_id = ${message.id}::uuid`;
      return { messageId: message.id, hiddenSeq: earlier!.hidden_seq, fresh: false };
    });
  }

  /** Up to `take` of the messages `userId` hid in the conversation after their `afterHiddenSeq`-th, in order. */
  hiddenAfter(userId: string, conversationId: string, afterHiddenSeq: number, take: number): Promise<HiddenEntry[]> {
    return this.prisma.$queryRaw<HiddenEntry[]>`
      SELECT message_id::text AS "messageId", hidden_seq AS "hiddenSeq" FROM hidden_messages
      WHERE user_id = ${userId}::uuid AND conversation_id = ${conversationId}::uuid AND hidden_seq > ${afterHiddenSeq}
      ORDER BY hidden_seq ASC
      LIMIT ${take}`;
  }

  /** How many messages `userId` hid in each conversation where they hid any (given one, in that one). */
  async hiddenSeqs(userId: string, conversationId: string | null = null): Promise<Map<string, number>> {
    const rows = await this.prisma.$queryRaw<{ conversation_id: string; hidden_seq: number }[]>`
      SELECT conversation_id::text, max(hidden_seq) AS hidden_seq FROM hidden_messages
      WHERE user_id = ${userId}::uuid AND (${conversationId === null} OR conversation_id = ${conversationId ?? NO_ID}::uuid)
      GROUP BY conversation_id`;
    return new Map(rows.map((row) => [row.conversation_id, row.hidden_seq]));
  }

  /**
   * Up to `take` messages matching the full-text query `text` that the viewer sees, newest
   * first: by id, which is a UUIDv7 and so in creation order. Deleted and SYSTEM messages are
   * not searched. PostgreSQL either walks the newest messages and tests each one's stored
   * vector (a common word: a few dozen rows) or takes the matches from the GIN index and sorts
   * them (a rare word): both are served by indexes.
   */
  search(viewerId: string, text: string, scope: SearchScope, take: number): Promise<Message[]> {
    const { conversationId, beforeId } = scope;
    // Not a prepared statement (core/db/sql.ts): after a few runs PostgreSQL would keep a generic
    // plan, which cannot tell a common word from a rare one; planned for its words each time, it
    // walks the newest messages for a common word and the index for a rare one (on the benchmark's million
    // messages the p95 of a mid-frequency word fell from 283 ms, generic, to 8 ms).
    return this.prisma.$queryRaw<Message[]>`
      SELECT ${selectColumns('m', MESSAGE_COLUMNS)}
      FROM messages m
      JOIN memberships mb ON mb.conversation_id = m.conversation_id AND mb.user_id = ${viewerId}::uuid
      WHERE m.search @@ websearch_to_tsquery('simple', ${text})
        AND ${visibleToMember('m', 'mb')}
        AND m.deleted_at IS NULL AND m.kind <> 'SYSTEM'
        AND (${conversationId === null} OR m.conversation_id = ${conversationId ?? NO_ID}::uuid)
        AND (${beforeId === null} OR m.id < ${beforeId ?? NO_ID}::uuid)
      ORDER BY m.id DESC
      LIMIT ${take}`;
  }

  /** The message its sender sent with this idempotency key, in any conversation. */
  bySenderKey(senderId: string, clientMsgId: string): Promise<Message | null> {
    return this.prisma.message.findUnique({ where: { senderId_clientMsgId: { senderId, clientMsgId } } });
  }

  /** All of the user's memberships with their conversations, the latest message's first. */
  memberships(userId: string): Promise<MembershipWithConversation[]> {
    return this.prisma.membership.findMany({
      where: { userId },
      include: { conversation: true },
      orderBy: { conversation: { lastMessageAt: 'desc' } },
    });
  }
}
