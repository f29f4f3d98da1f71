/**
 * Conversations of every kind: direct ones (exactly one per pair of users), the
 * viewer's list, read cursors, muting, typing and "delete chat". Groups and their
 * members are in groups.service.ts. Every change to a conversation takes its next seq
 * (see conversations.changes.ts) and is published after it commits.
 */
import type { Prisma } from '../../core/db/database.js';
import { directKey } from '../../core/db/keys.js';
import { CONVERSATION_COLUMNS, MEMBERSHIP_COLUMNS, pickColumns, selectColumns } from '../../core/db/rows.js';
import { badInput, forbidden, notFound, uniqueViolationField } from '../../core/errors.js';
import type { EventBus } from '../../core/events.js';
import { isUuid } from '../../core/ids.js';
import type { Viewer } from '../../app/context.js';
import type { Conversation, Membership } from '../../generated/prisma/client.js';
import type { UserService } from '../users/users.service.js';
import { canStartDirect } from '../users/users.rules.js';
import { memberIds, type Tx } from './conversations.changes.js';
import { decodeCursor, encodeCursor, type Page } from './conversations.cursor.js';
import { listedForMember } from './visibility.js';

export const CANNOT_MESSAGE = "You can't send messages to this user.";

export interface MembershipWithConversation extends Membership {
  conversation: Conversation;
}

/** Typing notices from one user in one conversation go out at most this often. */
export const TYPING_THROTTLE_MS = 3000;

export class ConversationService {
  private readonly lastTyping = new Map<string, number>();

  constructor(
    private readonly prisma: Prisma,
    private readonly bus: EventBus,
    private readonly users: UserService,
  ) {}

  /**
   * The viewer's membership, or NOT_FOUND alike for a missing conversation and someone else's.
   * Callers go on with its `conversationId`, not the one given: PostgreSQL also takes a uuid
   * in capitals, and events, throttles and the client's cache key on the string.
   */
  async membership(viewer: Viewer, conversationId: string, db: Prisma | Tx = this.prisma): Promise<MembershipWithConversation> {
    if (!isUuid(conversationId)) throw notFound('Conversation');
    // One query (Prisma's `include` would be two): nearly every operation starts here.
    const [row] = await db.$queryRaw<Record<string, unknown>[]>`
      SELECT ${selectColumns('mb', MEMBERSHIP_COLUMNS)}, ${selectColumns('c', CONVERSATION_COLUMNS, 'c_')}
      FROM memberships mb JOIN conversations c ON c.id = mb.conversation_id
      WHERE mb.conversation_id = ${conversationId}::uuid AND mb.user_id = ${viewer.userId}::uuid`;
    if (!row) throw notFound('Conversation');
    return { ...pickColumns(row, MEMBERSHIP_COLUMNS)!, conversation: pickColumns(row, CONVERSATION_COLUMNS, 'c_')! };
  }

  async get(viewer: Viewer, conversationId: string): Promise<Conversation> {
    return (await this.membership(viewer, conversationId)).conversation;
  }

  /**
   * The direct conversation with `userId`: the existing one if there is one (also when
   * several requests race to create it), else a new one if their privacy allows.
   */
  async createDirect(viewer: Viewer, userId: string): Promise<Conversation> {
    const target = await this.users.byId(viewer, userId);
    if (!target) throw notFound('User');
    // The stored id, not the one given: PostgreSQL also takes the viewer's own in capitals.
    if (target.id === viewer.userId) {
      throw badInput([{ field: 'userId', constraint: 'notSelf', message: 'You cannot start a conversation with yourself.' }]);
    }
    const key = directKey(viewer.userId, target.id);
    const existing = await this.prisma.conversation.findUnique({ where: { directKey: key } });
    if (existing) return existing;

    const relation = await this.users.relation(viewer, target.id);
    if (!canStartDirect(target, relation)) throw forbidden(CANNOT_MESSAGE);
    try {
      const conversation = await this.prisma.conversation.create({
        data: {
          kind: 'DIRECT',
          directKey: key,
          createdById: viewer.userId,
          members: { create: [{ userId: viewer.userId }, { userId: target.id }] },
        },
      });
      // No event yet (the first message is one), but both sides' instances follow it from now on.
      this.bus.started([viewer.userId, target.id], conversation.id, conversation.seq);
      return conversation;
    } catch (error) {
      if (uniqueViolationField(error) !== 'directKey') throw error;
      return this.prisma.conversation.findUniqueOrThrow({ where: { directKey: key } });
    }
  }

  /**
   * "Delete for me" hides the history up to now for the viewer alone; the conversation
   * comes back with the next message. "For everyone" deletes a group for all its
   * members and is the owner's alone.
   */
  async delete(viewer: Viewer, id: string, forEveryone: boolean): Promise<void> {
    const mine = await this.membership(viewer, id);
    const { conversationId } = mine;
    if (forEveryone) {
      if (mine.conversation.kind !== 'GROUP' || mine.role !== 'OWNER') {
        throw forbidden('Only the owner of a group can delete it for everyone.');
      }
      const recipients = await this.prisma.$transaction(async (tx) => {
        const recipients = await memberIds(tx, conversationId);
        await tx.conversation.delete({ where: { id: conversationId } });
        return recipients;
      });
      this.bus.publish(recipients, { type: 'CONVERSATION_REMOVED', conversationId });
      return;
    }
    const { seq } = mine.conversation;
    await this.prisma.membership.update({
      where: { conversationId_userId: { conversationId, userId: viewer.userId } },
      data: { hiddenUpToSeq: seq, lastReadSeq: Math.max(mine.lastReadSeq, seq) },
    });
    this.bus.publish([viewer.userId], { type: 'CONVERSATION_REMOVED', conversationId });
  }

  /** Moves the viewer's read cursor forward (never back); members see the receipt. */
  async markRead(viewer: Viewer, id: string, seq: number): Promise<MembershipWithConversation> {
    const mine = await this.membership(viewer, id);
    const { conversationId } = mine;
    if (seq > mine.conversation.seq) {
      throw badInput([{ field: 'seq', constraint: 'max', message: `seq must be at most ${mine.conversation.seq}, the conversation's latest.` }]);
    }
    const [updated] = await this.prisma.$queryRaw<{ last_read_seq: number; changed: boolean }[]>`
      UPDATE memberships SET last_read_seq = GREATEST(last_read_seq, ${seq})
      WHERE conversation_id = ${conversationId}::uuid AND user_id = ${viewer.userId}::uuid
      RETURNING last_read_seq, (last_read_seq > ${mine.lastReadSeq}) AS changed`;
    if (updated?.changed) {
      const recipients = await memberIds(this.prisma, conversationId);
      this.bus.publish(recipients, { type: 'READ_RECEIPT', conversationId, userId: viewer.userId, lastReadSeq: updated.last_read_seq });
    }
    return { ...mine, lastReadSeq: updated?.last_read_seq ?? mine.lastReadSeq };
  }

  /**
   * Tells the other members the viewer is typing. Ephemeral (nothing is stored) and
   * throttled: repeats within {@link TYPING_THROTTLE_MS} are dropped. In a direct
   * conversation with someone who blocked the viewer it silently does nothing.
   */
  async typing(viewer: Viewer, id: string): Promise<void> {
    const mine = await this.membership(viewer, id);
    const { conversationId } = mine;
    const key = `${viewer.userId}:${conversationId}`;
    const now = Date.now();
    if ((this.lastTyping.get(key) ?? 0) > now - TYPING_THROTTLE_MS) return;
    this.lastTyping.set(key, now);
    if (this.lastTyping.size > 10_000) {
      for (const [k, at] of this.lastTyping) if (at <= now - TYPING_THROTTLE_MS) this.lastTyping.delete(k);
    }
    const others = (await memberIds(this.prisma, conversationId)).filter((id) => id !== viewer.userId);
    if (mine.conversation.kind === 'DIRECT' && others[0] && (await this.users.relation(viewer, others[0])).theyBlocked) return;
    this.bus.publish(others, { type: 'TYPING', conversationId, userId: viewer.userId });
  }

  async setMuted(viewer: Viewer, id: string, muted: boolean): Promise<Conversation> {
    const mine = await this.membership(viewer, id);
    await this.prisma.membership.update({
      where: { conversationId_userId: { conversationId: mine.conversationId, userId: viewer.userId } },
      data: { muted },
    });
    return mine.conversation;
  }

  /** The viewer's conversations by last activity, newest first; hidden ones until they have news. */
  async list(viewer: Viewer, first: number, after: string | null | undefined): Promise<Page<Conversation>> {
    const cursor = after != null ? decodeCursor(after, 'after') : null;
    const rows = await this.prisma.$queryRaw<{ id: string; activity: Date }[]>`
      SELECT c.id, COALESCE(c.last_message_at, c.created_at) AS activity
      FROM memberships m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.user_id = ${viewer.userId}::uuid
        AND ${listedForMember('c', 'm')}
        AND (${cursor === null} OR (COALESCE(c.last_message_at, c.created_at), c.id) < (${cursor?.at ?? new Date(0)}, ${cursor?.id ?? '00000000-0000-0000-0000-000000000000'}::uuid))
      ORDER BY activity DESC, c.id DESC
      LIMIT ${first + 1}`;
    const page = rows.slice(0, first);
    const conversations = await this.prisma.conversation.findMany({ where: { id: { in: page.map((r) => r.id) } } });
    const byId = new Map(conversations.map((c) => [c.id, c]));
    const last = page.at(-1);
    return {
      nodes: page.flatMap((row) => byId.get(row.id) ?? []),
      endCursor: last ? encodeCursor(last.activity, last.id) : null,
      hasNextPage: rows.length > first,
    };
  }

}
