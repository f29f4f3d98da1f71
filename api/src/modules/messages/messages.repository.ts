/**
 * The message reads: queries only, no rules. MessageService decides who may read what; the
 * statements that filter by what a member sees take the rule's SQL form from
 * conversations/visibility.ts, never their own copy of it.
 *
 * One way into the database per statement family, chosen for what the family needs:
 * - a send's checks and history pages: raw SQL through `sql` (core/db/sql.ts), prepared
 *   statements: every send and every scroll pays for them, each in one statement where Prisma
 *   would spend two or more.
 * - search: raw SQL through Prisma's `$queryRaw`, planned at every run (see {@link MessageRepository.search});
 *   it needs PostgreSQL's full-text operators, which Prisma's client cannot express.
 * - changes after a seq, and lookups by key (a message by id or by its sender's clientMsgId,
 *   a membership): Prisma's client. Plain indexed reads, typed by the client, off the hot path.
 */
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import { CONVERSATION_COLUMNS, MEMBERSHIP_COLUMNS, MESSAGE_COLUMNS, pickColumns, selectColumns, USER_COLUMNS, usersFromJson } from '../../core/db/rows.js';
import type { Sql } from '../../core/db/sql.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { Membership, Message, User } from '../../generated/prisma/client.js';
import type { MembershipWithConversation } from '../conversations/conversations.service.js';
import { visibleToMember } from '../conversations/visibility.js';

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
   * Up to `take` messages of a conversation created or changed after `afterSeq`, in the order
   * of their latest change, leaving out those at or before `visibleFrom` and, given `upTo` (a
   * removed member's removal, visibility.ts), those created or changed after it.
   */
  changedAfter(conversationId: string, afterSeq: number, visibleFrom: number, upTo: number | null, take: number): Promise<Message[]> {
    return this.prisma.message.findMany({
      where: { conversationId, updatedSeq: { gt: afterSeq, ...(upTo !== null ? { lte: upTo } : {}) }, seq: { gt: visibleFrom } },
      orderBy: { updatedSeq: 'asc' },
      take,
    });
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

  /** The message with this id, whoever may see it. */
  byId(id: string): Promise<Message | null> {
    return this.prisma.message.findUnique({ where: { id } });
  }

  /** The message its sender sent with this idempotency key, in any conversation. */
  bySenderKey(senderId: string, clientMsgId: string): Promise<Message | null> {
    return this.prisma.message.findUnique({ where: { senderId_clientMsgId: { senderId, clientMsgId } } });
  }

  /** The user's membership of a conversation, with the conversation. */
  membership(conversationId: string, userId: string): Promise<MembershipWithConversation | null> {
    return this.prisma.membership.findUnique({
      where: { conversationId_userId: { conversationId, userId } },
      include: { conversation: true },
    });
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
