/**
 * Conversations: direct (exactly one per pair of users) and groups, their members and
 * roles, the viewer's list, read cursors and "delete chat". Every rule is checked here;
 * every change to a conversation takes its next seq (see conversations.changes.ts) and
 * is published after it commits.
 */
import type { Prisma } from '../../core/db/database.js';
import { directKey } from '../../core/db/keys.js';
import { badInput, forbidden, notFound, uniqueViolationField } from '../../core/errors.js';
import type { EventBus } from '../../core/events.js';
import { isUuid } from '../../core/ids.js';
import type { Viewer } from '../../core/context.js';
import type { Conversation, Membership, MemberRole } from '../../generated/prisma/client.js';
import type { UserService } from '../users/users.service.js';
import { canStartDirect } from '../users/users.rules.js';
import { memberIds, systemMessage, type Tx } from './conversations.changes.js';
import { decodeCursor, encodeCursor, type Page } from './conversations.cursor.js';

export const CANNOT_MESSAGE = "You can't send messages to this user.";
const MAX_GROUP_MEMBERS = 1000;

export interface MembershipWithConversation extends Membership {
  conversation: Conversation;
}

/** A group title, trimmed; BAD_USER_INPUT when nothing is left. */
function normalizeTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed) throw badInput([{ field: 'title', constraint: 'isLength', message: 'A title is 1–128 characters long.' }]);
  return trimmed;
}

/** The first seq a member may see: after what they hid ("delete for me") and what came before they joined. */
export function visibleFrom(membership: Pick<Membership, 'hiddenUpToSeq' | 'joinedSeq'>): number {
  return Math.max(membership.hiddenUpToSeq, membership.joinedSeq);
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

  /** The viewer's membership, or NOT_FOUND alike for a missing conversation and someone else's. */
  async membership(viewer: Viewer, conversationId: string, db: Prisma | Tx = this.prisma): Promise<MembershipWithConversation> {
    const membership = isUuid(conversationId)
      ? await db.membership.findUnique({
          where: { conversationId_userId: { conversationId, userId: viewer.userId } },
          include: { conversation: true },
        })
      : null;
    if (!membership) throw notFound('Conversation');
    return membership;
  }

  async get(viewer: Viewer, conversationId: string): Promise<Conversation> {
    return (await this.membership(viewer, conversationId)).conversation;
  }

  /**
   * The direct conversation with `userId`: the existing one if there is one (also when
   * several requests race to create it), else a new one if their privacy allows.
   */
  async createDirect(viewer: Viewer, userId: string): Promise<Conversation> {
    if (userId === viewer.userId) {
      throw badInput([{ field: 'userId', constraint: 'notSelf', message: 'You cannot start a conversation with yourself.' }]);
    }
    const target = await this.users.byId(viewer, userId);
    if (!target) throw notFound('User');
    const key = directKey(viewer.userId, target.id);
    const existing = await this.prisma.conversation.findUnique({ where: { directKey: key } });
    if (existing) return existing;

    const relation = await this.users.relation(viewer, target.id);
    if (!canStartDirect(target, relation)) throw forbidden(CANNOT_MESSAGE);
    try {
      return await this.prisma.conversation.create({
        data: {
          kind: 'DIRECT',
          directKey: key,
          createdById: viewer.userId,
          members: { create: [{ userId: viewer.userId }, { userId: target.id }] },
        },
      });
    } catch (error) {
      if (uniqueViolationField(error) !== 'directKey') throw error;
      return this.prisma.conversation.findUniqueOrThrow({ where: { directKey: key } });
    }
  }

  async createGroup(viewer: Viewer, rawTitle: string, userIds: string[]): Promise<Conversation> {
    const title = normalizeTitle(rawTitle);
    const members = await this.visibleUsers(viewer, userIds, 'memberIds');
    if (members.length + 1 > MAX_GROUP_MEMBERS) {
      throw badInput([{ field: 'memberIds', constraint: 'maxSize', message: `A group has at most ${MAX_GROUP_MEMBERS} members.` }]);
    }
    const { conversation, message, recipients } = await this.prisma.$transaction(async (tx) => {
      const conversation = await tx.conversation.create({
        data: {
          kind: 'GROUP',
          title,
          createdById: viewer.userId,
          members: { create: [{ userId: viewer.userId, role: 'OWNER' }, ...members.map((userId) => ({ userId }))] },
        },
      });
      const message = await systemMessage(tx, conversation.id, { type: 'GROUP_CREATED', actorId: viewer.userId, title: conversation.title! });
      await tx.membership.update({
        where: { conversationId_userId: { conversationId: conversation.id, userId: viewer.userId } },
        data: { lastReadSeq: message.seq },
      });
      return { conversation, message, recipients: [viewer.userId, ...members] };
    });
    this.bus.publish(recipients, { type: 'MEMBER_JOINED', conversationId: conversation.id, seq: message.seq, userIds: recipients, message });
    return this.prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
  }

  async rename(viewer: Viewer, conversationId: string, title: string): Promise<Conversation> {
    const newTitle = normalizeTitle(title);
    const { conversation } = await this.requireGroupRole(viewer, conversationId, ['OWNER', 'ADMIN']);
    if (newTitle === conversation.title) return conversation;
    const { message, recipients } = await this.prisma.$transaction(async (tx) => {
      await tx.conversation.update({ where: { id: conversationId }, data: { title: newTitle } });
      const message = await systemMessage(tx, conversationId, { type: 'TITLE_CHANGED', actorId: viewer.userId, title: newTitle });
      return { message, recipients: await memberIds(tx, conversationId) };
    });
    this.bus.publish(recipients, { type: 'CONVERSATION_UPDATED', conversationId, seq: message.seq, message });
    return this.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
  }

  /** Adds people to a group (admins and the owner); those already in it are left as they are. */
  async addMembers(viewer: Viewer, conversationId: string, userIds: string[]): Promise<Conversation> {
    const { conversation } = await this.requireGroupRole(viewer, conversationId, ['OWNER', 'ADMIN']);
    const wanted = await this.visibleUsers(viewer, userIds, 'userIds');
    const result = await this.prisma.$transaction(async (tx) => {
      const present = new Set(await memberIds(tx, conversationId));
      const added = wanted.filter((id) => !present.has(id));
      if (added.length === 0) return null;
      if (present.size + added.length > MAX_GROUP_MEMBERS) {
        throw badInput([{ field: 'userIds', constraint: 'maxSize', message: `A group has at most ${MAX_GROUP_MEMBERS} members.` }]);
      }
      const message = await systemMessage(tx, conversationId, { type: 'MEMBERS_ADDED', actorId: viewer.userId, userIds: added });
      // New members see history from their arrival on: the MEMBERS_ADDED message is their first.
      await tx.membership.createMany({
        data: added.map((userId) => ({ conversationId, userId, joinedSeq: message.seq - 1, lastReadSeq: message.seq - 1 })),
      });
      return { added, message, recipients: [...present, ...added] };
    });
    if (result) {
      const { added, message, recipients } = result;
      this.bus.publish(recipients, { type: 'MEMBER_JOINED', conversationId, seq: message.seq, userIds: added, message });
    }
    return result ? this.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } }) : conversation;
  }

  /** Removes a member: the owner may remove anyone, an admin only plain members. */
  async removeMember(viewer: Viewer, conversationId: string, userId: string): Promise<Conversation> {
    const mine = await this.requireGroupRole(viewer, conversationId, ['OWNER', 'ADMIN']);
    if (userId === viewer.userId) {
      throw badInput([{ field: 'userId', constraint: 'notSelf', message: 'To leave a group, use leaveConversation.' }]);
    }
    const target = isUuid(userId)
      ? await this.prisma.membership.findUnique({ where: { conversationId_userId: { conversationId, userId } } })
      : null;
    if (!target) throw notFound('Member');
    if (mine.role === 'ADMIN' && target.role !== 'MEMBER') throw forbidden('Only the owner can remove an admin.');

    const { message, recipients } = await this.prisma.$transaction(async (tx) => {
      const message = await systemMessage(tx, conversationId, { type: 'MEMBER_REMOVED', actorId: viewer.userId, userId });
      await tx.membership.delete({ where: { conversationId_userId: { conversationId, userId } } });
      return { message, recipients: await memberIds(tx, conversationId) };
    });
    this.bus.publish(recipients, { type: 'MEMBER_LEFT', conversationId, seq: message.seq, userId, message });
    this.bus.publish([userId], { type: 'CONVERSATION_REMOVED', conversationId });
    return this.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
  }

  /**
   * Sets a member's role (the owner only). Making someone OWNER hands the group over:
   * the previous owner becomes an admin.
   */
  async setRole(viewer: Viewer, conversationId: string, userId: string, role: MemberRole): Promise<Conversation> {
    await this.requireGroupRole(viewer, conversationId, ['OWNER']);
    if (userId === viewer.userId) {
      throw badInput([{ field: 'userId', constraint: 'notSelf', message: 'Make someone else the owner to change your own role.' }]);
    }
    const target = isUuid(userId)
      ? await this.prisma.membership.findUnique({ where: { conversationId_userId: { conversationId, userId } } })
      : null;
    if (!target) throw notFound('Member');
    if (target.role === role) return this.get(viewer, conversationId);

    const changes = await this.prisma.$transaction(async (tx) => {
      const done = [await this.changeRole(tx, viewer, conversationId, userId, role)];
      if (role === 'OWNER') done.push(await this.changeRole(tx, viewer, conversationId, viewer.userId, 'ADMIN'));
      return { done, recipients: await memberIds(tx, conversationId) };
    });
    for (const change of changes.done) this.bus.publish(changes.recipients, change);
    return this.get(viewer, conversationId);
  }

  /** Leaves a group. An owner who leaves hands over to the oldest admin, else the oldest member. */
  async leave(viewer: Viewer, conversationId: string): Promise<void> {
    const mine = await this.membership(viewer, conversationId);
    if (mine.conversation.kind !== 'GROUP') {
      throw badInput([{ field: 'conversationId', constraint: 'isGroup', message: 'You can only leave a group; delete a direct conversation instead.' }]);
    }
    const outcome = await this.prisma.$transaction(async (tx) => {
      const others = await tx.membership.findMany({
        where: { conversationId, userId: { not: viewer.userId } },
        orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }],
      });
      if (others.length === 0) {
        await tx.conversation.delete({ where: { id: conversationId } });
        return null;
      }
      const heir = mine.role === 'OWNER' ? (others.find((m) => m.role === 'ADMIN') ?? others[0]!) : null;
      const message = await systemMessage(tx, conversationId, {
        type: 'MEMBER_LEFT',
        actorId: viewer.userId,
        userId: viewer.userId,
        ...(heir ? { newOwnerId: heir.userId } : {}),
      });
      await tx.membership.delete({ where: { conversationId_userId: { conversationId, userId: viewer.userId } } });
      const handover = heir ? await this.changeRole(tx, viewer, conversationId, heir.userId, 'OWNER') : null;
      return { message, handover, recipients: others.map((m) => m.userId) };
    });
    this.bus.publish([viewer.userId], { type: 'CONVERSATION_REMOVED', conversationId });
    if (!outcome) return;
    const { message, handover, recipients } = outcome;
    this.bus.publish(recipients, { type: 'MEMBER_LEFT', conversationId, seq: message.seq, userId: viewer.userId, message });
    if (handover) this.bus.publish(recipients, handover);
  }

  /**
   * "Delete for me" hides the history up to now for the viewer alone; the conversation
   * comes back with the next message. "For everyone" deletes a group for all its
   * members and is the owner's alone.
   */
  async delete(viewer: Viewer, conversationId: string, forEveryone: boolean): Promise<void> {
    const mine = await this.membership(viewer, conversationId);
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
  async markRead(viewer: Viewer, conversationId: string, seq: number): Promise<MembershipWithConversation> {
    const mine = await this.membership(viewer, conversationId);
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
  async typing(viewer: Viewer, conversationId: string): Promise<void> {
    const mine = await this.membership(viewer, conversationId);
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

  async setMuted(viewer: Viewer, conversationId: string, muted: boolean): Promise<Conversation> {
    const mine = await this.membership(viewer, conversationId);
    await this.prisma.membership.update({
      where: { conversationId_userId: { conversationId, userId: viewer.userId } },
      data: { muted },
    });
    return mine.conversation;
  }

  /** The viewer's conversations by last activity, newest first; hidden ones until they have news. */
  async list(viewer: Viewer, first: number, after: string | undefined): Promise<Page<Conversation>> {
    const cursor = after ? decodeCursor(after, 'after') : null;
    const rows = await this.prisma.$queryRaw<{ id: string; activity: Date }[]>`
      SELECT c.id, COALESCE(c.last_message_at, c.created_at) AS activity
      FROM memberships m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.user_id = ${viewer.userId}::uuid
        AND (m.hidden_up_to_seq = 0 OR c.last_message_seq > m.hidden_up_to_seq)
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

  private async requireGroupRole(viewer: Viewer, conversationId: string, roles: MemberRole[]): Promise<MembershipWithConversation> {
    const mine = await this.membership(viewer, conversationId);
    if (mine.conversation.kind !== 'GROUP') {
      throw badInput([{ field: 'conversationId', constraint: 'isGroup', message: 'Only a group has members to manage.' }]);
    }
    if (!roles.includes(mine.role)) throw forbidden(roles.length === 1 ? 'Only the owner can do that.' : 'Only admins can do that.');
    return mine;
  }

  private async changeRole(tx: Tx, viewer: Viewer, conversationId: string, userId: string, role: MemberRole) {
    await tx.membership.update({ where: { conversationId_userId: { conversationId, userId } }, data: { role } });
    const message = await systemMessage(tx, conversationId, { type: 'ROLE_CHANGED', actorId: viewer.userId, userId, role });
    return { type: 'MEMBER_ROLE_CHANGED' as const, conversationId, seq: message.seq, userId, role, message };
  }

  /** The given users, deduplicated, each one the viewer may see; NOT_FOUND names none of them. */
  private async visibleUsers(viewer: Viewer, userIds: string[], field: string): Promise<string[]> {
    const unique = [...new Set(userIds)].filter((id) => id !== viewer.userId);
    for (const id of unique) {
      if (!isUuid(id)) throw badInput([{ field, constraint: 'isUuid', message: `${field} must hold user ids.` }]);
    }
    const visible = await Promise.all(unique.map((id) => this.users.byId(viewer, id)));
    if (visible.some((user) => !user)) throw notFound('User');
    return unique;
  }
}
