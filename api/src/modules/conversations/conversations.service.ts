/**
 * Conversations of every kind: direct ones (exactly one per pair of users), the
 * viewer's list, read cursors, muting, typing and "delete chat". Groups and their
 * members are in groups.service.ts. Every change to a conversation takes its next seq
 * (see conversations.changes.ts) and is published after it commits. The queries are
 * in conversations.repository.ts.
 */
import { directKey } from '../../core/db/keys.js';
import { badInput, forbidden, notFound } from '../../core/errors.js';
import type { EventBus } from '../../core/events.js';
import { isUuid } from '../../core/ids.js';
import type { Viewer } from '../../app/context.js';
import type { Conversation, Membership } from '../../generated/prisma/client.js';
import type { UserService } from '../users/users.service.js';
import { canStartDirect } from '../users/users.rules.js';
import { decodeCursor, encodeCursor, type Page } from './conversations.cursor.js';
import { isRemoved, knownSeq } from './visibility.js';
import type { ConversationRepository } from './conversations.repository.js';

export const CANNOT_MESSAGE = "You can't send messages to this user.";
/** The refusal of a write by a member an admin removed (they still read what they had). */
export const REMOVED = 'You were removed from this group.';

export interface MembershipWithConversation extends Membership {
  conversation: Conversation;
}

/** Typing notices from one user in one conversation go out at most this often. */
export const TYPING_THROTTLE_MS = 3000;

export class ConversationService {
  private readonly lastTyping = new Map<string, number>();

  constructor(
    private readonly repository: ConversationRepository,
    private readonly bus: EventBus,
    private readonly users: UserService,
  ) {}

  /**
   * The viewer's membership, or NOT_FOUND alike for a missing conversation and someone else's.
   * Callers go on with its `conversationId`, not the one given: PostgreSQL also takes a uuid
   * in capitals, and events, throttles and the client's cache key on the string.
   */
  async membership(viewer: Viewer, conversationId: string): Promise<MembershipWithConversation> {
    if (!isUuid(conversationId)) throw notFound('Conversation');
    const mine = await this.repository.membership(conversationId, viewer.userId);
    if (!mine) throw notFound('Conversation');
    return mine;
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
    const existing = await this.repository.byDirectKey(key);
    if (existing) return existing;

    const relation = await this.users.relation(viewer, target.id);
    if (!canStartDirect(target, relation)) throw forbidden(CANNOT_MESSAGE);
    const { conversation, created } = await this.repository.createDirect(key, viewer.userId, target.id);
    // No event yet (the first message is one), but both sides' instances follow it from now on.
    if (created) this.bus.started([viewer.userId, target.id], conversation.id, conversation.seq);
    return conversation;
  }

  /**
   * "Delete for me" hides the history up to now for the viewer alone; the conversation
   * comes back with the next message. A member removed from a group has no next message:
   * their read-only copy goes. "For everyone" deletes a group for all its members and is
   * the owner's alone.
   */
  async delete(viewer: Viewer, id: string, forEveryone: boolean): Promise<void> {
    const mine = await this.membership(viewer, id);
    const { conversationId } = mine;
    if (isRemoved(mine) && !forEveryone) {
      await this.repository.transaction((tx) => this.repository.removeMember(tx, conversationId, viewer.userId));
      this.bus.publish([viewer.userId], { type: 'CONVERSATION_REMOVED', conversationId });
      return;
    }
    if (forEveryone) {
      if (mine.conversation.kind !== 'GROUP' || mine.role !== 'OWNER' || isRemoved(mine)) {
        throw forbidden('Only the owner of a group can delete it for everyone.');
      }
      const recipients = await this.repository.transaction(async (tx) => {
        // Those removed earlier lose their read-only copy with it.
        const recipients = [...(await this.repository.memberIds(conversationId, tx)), ...(await this.repository.removedIds(tx, conversationId))];
        await this.repository.delete(tx, conversationId);
        return recipients;
      });
      this.bus.publish(recipients, { type: 'CONVERSATION_REMOVED', conversationId });
      return;
    }
    const { seq } = mine.conversation;
    await this.repository.updateMembership(conversationId, viewer.userId, { hiddenUpToSeq: seq, lastReadSeq: Math.max(mine.lastReadSeq, seq) });
    this.bus.publish([viewer.userId], { type: 'CONVERSATION_REMOVED', conversationId });
  }

  /** Moves the viewer's read cursor forward (never back); members see the receipt. */
  async markRead(viewer: Viewer, id: string, seq: number): Promise<MembershipWithConversation> {
    const mine = await this.membership(viewer, id);
    const { conversationId } = mine;
    const latest = knownSeq(mine, mine.conversation);
    if (seq > latest) {
      throw badInput([{ field: 'seq', constraint: 'max', message: `seq must be at most ${latest}, the conversation's latest.` }]);
    }
    const updated = await this.repository.advanceRead(conversationId, viewer.userId, seq, mine.lastReadSeq);
    // A removed member reads their copy for themselves: the group hears nothing of them.
    if (updated?.changed && !isRemoved(mine)) {
      const recipients = await this.repository.memberIds(conversationId);
      this.bus.publish(recipients, { type: 'READ_RECEIPT', conversationId, userId: viewer.userId, lastReadSeq: updated.lastReadSeq });
    }
    return { ...mine, lastReadSeq: updated?.lastReadSeq ?? mine.lastReadSeq };
  }

  /**
   * Tells the other members the viewer is typing. Ephemeral (nothing is stored) and
   * throttled: repeats within {@link TYPING_THROTTLE_MS} are dropped. In a direct
   * conversation with someone who blocked the viewer it silently does nothing.
   */
  async typing(viewer: Viewer, id: string): Promise<void> {
    const mine = await this.membership(viewer, id);
    if (isRemoved(mine)) throw forbidden(REMOVED);
    const { conversationId } = mine;
    const key = `${viewer.userId}:${conversationId}`;
    const now = Date.now();
    if ((this.lastTyping.get(key) ?? 0) > now - TYPING_THROTTLE_MS) return;
    this.lastTyping.set(key, now);
    if (this.lastTyping.size > 10_000) {
      for (const [k, at] of this.lastTyping) if (at <= now - TYPING_THROTTLE_MS) this.lastTyping.delete(k);
    }
    const others = (await this.repository.memberIds(conversationId)).filter((id) => id !== viewer.userId);
    if (mine.conversation.kind === 'DIRECT' && others[0] && (await this.users.relation(viewer, others[0])).theyBlocked) return;
    this.bus.publish(others, { type: 'TYPING', conversationId, userId: viewer.userId });
  }

  async setMuted(viewer: Viewer, id: string, muted: boolean): Promise<Conversation> {
    const mine = await this.membership(viewer, id);
    await this.repository.updateMembership(mine.conversationId, viewer.userId, { muted });
    return mine.conversation;
  }

  /** The viewer's conversations by last activity, newest first; hidden ones until they have news. */
  async list(viewer: Viewer, first: number, after: string | null | undefined): Promise<Page<Conversation>> {
    const cursor = after != null ? decodeCursor(after, 'after') : null;
    const rows = await this.repository.listed(viewer.userId, cursor, first + 1);
    const page = rows.slice(0, first);
    const conversations = await this.repository.byIds(page.map((r) => r.id));
    const byId = new Map(conversations.map((c) => [c.id, c]));
    const last = page.at(-1);
    return {
      nodes: page.flatMap((row) => byId.get(row.id) ?? []),
      endCursor: last ? encodeCursor(last.activity, last.id) : null,
      hasNextPage: rows.length > first,
    };
  }
}
