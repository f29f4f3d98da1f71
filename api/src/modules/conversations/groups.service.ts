/**
 * Groups: creation, title, members and roles, leaving. Admins and the owner manage
 * members; only the owner changes roles or hands the group over. Each change is a
 * SYSTEM message at the conversation's next seq, published after it commits. The
 * queries are in conversations.repository.ts.
 */
import { badInput, forbidden, notFound } from '../../core/errors.js';
import type { AppEvent, EventBus } from '../../core/events.js';
import { isUuid } from '../../core/ids.js';
import type { Viewer } from '../../app/context.js';
import type { Conversation, MemberRole, Membership, Message } from '../../generated/prisma/client.js';
import type { UserService } from '../users/users.service.js';
import type { ChangeLog, Tx } from './conversations.changes.js';
import type { ConversationRepository } from './conversations.repository.js';
import { REMOVED, type ConversationService, type MembershipWithConversation } from './conversations.service.js';
import { isRemoved } from './visibility.js';

const MAX_GROUP_MEMBERS = 1000;

type RoleChange = Extract<AppEvent, { type: 'MEMBER_ROLE_CHANGED' }>;

/** Someone taken out of a group (see {@link GroupService.depart}), to be announced after commit. */
export interface Departure {
  userId: string;
  conversationId: string;
  /** Null when they were the last member (the group was deleted with them) or a removed member. */
  left: { message: Message; handover: RoleChange | null; recipients: string[] } | null;
  /** Members removed earlier whose read-only copy went with the group. */
  removed: string[];
}

/** A group title, trimmed; BAD_USER_INPUT when nothing is left. */
function normalizeTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed) throw badInput([{ field: 'title', constraint: 'isLength', message: 'A title is 1–128 characters long.' }]);
  return trimmed;
}

export class GroupService {
  constructor(
    private readonly repository: ConversationRepository,
    private readonly bus: EventBus,
    private readonly changeLog: ChangeLog,
    private readonly users: UserService,
    private readonly conversations: ConversationService,
  ) {}

  async createGroup(viewer: Viewer, rawTitle: string, userIds: string[]): Promise<Conversation> {
    const title = normalizeTitle(rawTitle);
    const members = await this.visibleUsers(viewer, userIds, 'memberIds');
    if (members.length + 1 > MAX_GROUP_MEMBERS) {
      throw badInput([{ field: 'memberIds', constraint: 'maxSize', message: `A group has at most ${MAX_GROUP_MEMBERS} members.` }]);
    }
    const { conversation, message, recipients } = await this.repository.transaction(async (tx) => {
      const conversation = await this.repository.createGroup(tx, title, viewer.userId, members);
      const message = await this.changeLog.record(tx, conversation.id, { type: 'GROUP_CREATED', actorId: viewer.userId, title: conversation.title! });
      await this.repository.updateMembership(conversation.id, viewer.userId, { lastReadSeq: message.seq }, tx);
      return { conversation, message, recipients: [viewer.userId, ...members] };
    });
    this.bus.publish(recipients, { type: 'MEMBER_JOINED', conversationId: conversation.id, seq: message.seq, userIds: recipients, message });
    return this.repository.byId(conversation.id);
  }

  async rename(viewer: Viewer, id: string, title: string): Promise<Conversation> {
    const newTitle = normalizeTitle(title);
    const { conversation, conversationId } = await this.requireGroupRole(viewer, id, ['OWNER', 'ADMIN']);
    if (newTitle === conversation.title) return conversation;
    const { message, recipients } = await this.repository.transaction(async (tx) => {
      await this.repository.rename(tx, conversationId, newTitle);
      const message = await this.changeLog.record(tx, conversationId, { type: 'TITLE_CHANGED', actorId: viewer.userId, title: newTitle });
      return { message, recipients: await this.repository.memberIds(conversationId, tx) };
    });
    this.bus.publish(recipients, { type: 'CONVERSATION_UPDATED', conversationId, seq: message.seq, message });
    return this.repository.byId(conversationId);
  }

  /**
   * Sets or clears a group's picture (admins and the owner): `avatarId` is a media row the
   * caller checked to be theirs and uploaded as an avatar. Recorded as AVATAR_CHANGED.
   */
  async setAvatar(viewer: Viewer, id: string, avatarId: string | null): Promise<Conversation> {
    const { conversation, conversationId } = await this.requireGroupRole(viewer, id, ['OWNER', 'ADMIN']);
    if (avatarId === conversation.avatarId) return conversation;
    const { message, recipients } = await this.repository.transaction(async (tx) => {
      await this.repository.setAvatar(tx, conversationId, avatarId);
      const message = await this.changeLog.record(tx, conversationId, { type: 'AVATAR_CHANGED', actorId: viewer.userId, mediaId: avatarId });
      return { message, recipients: await this.repository.memberIds(conversationId, tx) };
    });
    this.bus.publish(recipients, { type: 'CONVERSATION_UPDATED', conversationId, seq: message.seq, message });
    return this.repository.byId(conversationId);
  }

  /** Adds people to a group (admins and the owner); those already in it are left as they are. */
  async addMembers(viewer: Viewer, id: string, userIds: string[]): Promise<Conversation> {
    const { conversation, conversationId } = await this.requireGroupRole(viewer, id, ['OWNER', 'ADMIN']);
    const wanted = await this.visibleUsers(viewer, userIds, 'userIds');
    const result = await this.repository.transaction(async (tx) => {
      const present = new Set(await this.repository.memberIds(conversationId, tx));
      const added = wanted.filter((id) => !present.has(id));
      if (added.length === 0) return null;
      if (present.size + added.length > MAX_GROUP_MEMBERS) {
        throw badInput([{ field: 'userIds', constraint: 'maxSize', message: `A group has at most ${MAX_GROUP_MEMBERS} members.` }]);
      }
      const message = await this.changeLog.record(tx, conversationId, { type: 'MEMBERS_ADDED', actorId: viewer.userId, userIds: added });
      // New members see history from their arrival on: the MEMBERS_ADDED message is their first.
      await this.repository.addMembers(tx, conversationId, added, message.seq - 1);
      return { added, message, recipients: [...present, ...added] };
    });
    if (result) {
      const { added, message, recipients } = result;
      this.bus.publish(recipients, { type: 'MEMBER_JOINED', conversationId, seq: message.seq, userIds: added, message });
    }
    return result ? this.repository.byId(conversationId) : conversation;
  }

  /**
   * Removes a member: the owner may remove anyone, an admin only plain members. The removed
   * member keeps the group in their list, read-only, with its history up to the MEMBER_REMOVED
   * message (which they are told of, as the last thing) and nothing after it (visibility.ts);
   * deleting the chat then takes it away. Leaving by oneself takes it away at once (as in
   * Telegram): see {@link leave}.
   */
  async removeMember(viewer: Viewer, id: string, memberId: string): Promise<Conversation> {
    const mine = await this.requireGroupRole(viewer, id, ['OWNER', 'ADMIN']);
    const { conversationId } = mine;
    const { userId, role } = await this.member(viewer, mine, memberId, 'To leave a group, use leaveConversation.');
    if (mine.role === 'ADMIN' && role !== 'MEMBER') throw forbidden('Only the owner can remove an admin.');

    const { message, recipients } = await this.repository.transaction(async (tx) => {
      const message = await this.changeLog.record(tx, conversationId, { type: 'MEMBER_REMOVED', actorId: viewer.userId, userId });
      await this.repository.markRemoved(tx, conversationId, userId, message.seq);
      return { message, recipients: await this.repository.memberIds(conversationId, tx) };
    });
    this.bus.publish([...recipients, userId], { type: 'MEMBER_LEFT', conversationId, seq: message.seq, userId, message });
    return this.repository.byId(conversationId);
  }

  /**
   * Sets a member's role (the owner only). Making someone OWNER hands the group over:
   * the previous owner becomes an admin.
   */
  async setRole(viewer: Viewer, id: string, memberId: string, role: MemberRole): Promise<Conversation> {
    const mine = await this.requireGroupRole(viewer, id, ['OWNER']);
    const { conversationId } = mine;
    const target = await this.member(viewer, mine, memberId, 'Make someone else the owner to change your own role.');
    const { userId } = target;
    if (target.role === role) return this.conversations.get(viewer, conversationId);

    const changes = await this.repository.transaction(async (tx) => {
      const done = [await this.changeRole(tx, viewer.userId, conversationId, userId, role)];
      if (role === 'OWNER') done.push(await this.changeRole(tx, viewer.userId, conversationId, viewer.userId, 'ADMIN'));
      return { done, recipients: await this.repository.memberIds(conversationId, tx) };
    });
    for (const change of changes.done) this.bus.publish(changes.recipients, change);
    return this.conversations.get(viewer, conversationId);
  }

  /** Leaves a group. An owner who leaves hands over to the oldest admin, else the oldest member. */
  async leave(viewer: Viewer, id: string): Promise<void> {
    const mine = await this.conversations.membership(viewer, id);
    if (mine.conversation.kind !== 'GROUP') {
      throw badInput([{ field: 'conversationId', constraint: 'isGroup', message: 'You can only leave a group; delete a direct conversation instead.' }]);
    }
    if (isRemoved(mine)) return this.conversations.delete(viewer, mine.conversationId, false);
    const departure = await this.repository.transaction((tx) => this.depart(tx, viewer.userId, mine));
    this.announceDeparture(departure);
  }

  /**
   * Takes `userId` out of a group inside `tx`, as leaving does (also when their account is
   * deleted): an owner hands over to the oldest admin, else the oldest member; the last one
   * out deletes the group. Publish the result with {@link announceDeparture} once `tx` committed.
   */
  async depart(tx: Tx, userId: string, membership: Pick<Membership, 'conversationId' | 'role' | 'removedSeq'>): Promise<Departure> {
    const { conversationId } = membership;
    // A removed member holds only their read-only copy: it goes, and nobody else is told.
    if (isRemoved(membership)) {
      await this.repository.removeMember(tx, conversationId, userId);
      return { userId, conversationId, left: null, removed: [] };
    }
    const others = await this.repository.othersBySeniority(tx, conversationId, userId);
    if (others.length === 0) {
      // The last member out deletes the group, and with it the copies of those removed from it.
      const removed = await this.repository.removedIds(tx, conversationId);
      await this.repository.delete(tx, conversationId);
      return { userId, conversationId, left: null, removed };
    }
    const heir = membership.role === 'OWNER' ? (others.find((m) => m.role === 'ADMIN') ?? others[0]!) : null;
    const message = await this.changeLog.record(tx, conversationId, {
      type: 'MEMBER_LEFT',
      actorId: userId,
      userId,
      ...(heir ? { newOwnerId: heir.userId } : {}),
    });
    await this.repository.removeMember(tx, conversationId, userId);
    const handover = heir ? await this.changeRole(tx, userId, conversationId, heir.userId, 'OWNER') : null;
    return { userId, conversationId, left: { message, handover, recipients: others.map((m) => m.userId) }, removed: [] };
  }

  /** Publishes a departure that committed: the conversation is gone for the one who left, the others see them leave. */
  announceDeparture({ userId, conversationId, left, removed }: Departure): void {
    this.bus.publish([userId, ...removed], { type: 'CONVERSATION_REMOVED', conversationId });
    if (!left) return;
    const { message, handover, recipients } = left;
    this.bus.publish(recipients, { type: 'MEMBER_LEFT', conversationId, seq: message.seq, userId, message });
    if (handover) this.bus.publish(recipients, handover);
  }

  private async requireGroupRole(viewer: Viewer, conversationId: string, roles: MemberRole[]): Promise<MembershipWithConversation> {
    const mine = await this.conversations.membership(viewer, conversationId);
    if (mine.conversation.kind !== 'GROUP') {
      throw badInput([{ field: 'conversationId', constraint: 'isGroup', message: 'Only a group has members to manage.' }]);
    }
    if (isRemoved(mine)) throw forbidden(REMOVED);
    if (!roles.includes(mine.role)) throw forbidden(roles.length === 1 ? 'Only the owner can do that.' : 'Only admins can do that.');
    return mine;
  }

  /**
   * Another member of the group, by the id given. Refusing oneself goes by the stored id:
   * PostgreSQL also takes the viewer's own in capitals.
   */
  private async member(viewer: Viewer, mine: MembershipWithConversation, userId: string, notSelf: string): Promise<Membership> {
    const target = isUuid(userId) ? await this.repository.member(mine.conversationId, userId) : null;
    if (!target || isRemoved(target)) throw notFound('Member');
    if (target.userId === viewer.userId) throw badInput([{ field: 'userId', constraint: 'notSelf', message: notSelf }]);
    return target;
  }

  private async changeRole(tx: Tx, actorId: string, conversationId: string, userId: string, role: MemberRole) {
    await this.repository.updateMembership(conversationId, userId, { role }, tx);
    const message = await this.changeLog.record(tx, conversationId, { type: 'ROLE_CHANGED', actorId, userId, role });
    return { type: 'MEMBER_ROLE_CHANGED' as const, conversationId, seq: message.seq, userId, role, message };
  }

  /** The given users other than the viewer, deduplicated, each one the viewer may see; NOT_FOUND names none of them. */
  private async visibleUsers(viewer: Viewer, userIds: string[], field: string): Promise<string[]> {
    if (!userIds.every(isUuid)) throw badInput([{ field, constraint: 'isUuid', message: `${field} must hold user ids.` }]);
    // As PostgreSQL spells them (it also takes capitals), so that one user, or the viewer, is not let in twice.
    const unique = [...new Set(userIds.map((id) => id.toLowerCase()))].filter((id) => id !== viewer.userId);
    const visible = await this.users.visibleIds(viewer, unique);
    if (visible.length !== unique.length) throw notFound('User');
    return unique;
  }
}
