/**
 * The realtime event stream. A change publishes one envelope (event + recipients) on its
 * conversation's channel — one Redis message however many members — and the instances
 * that follow that channel (those holding a subscriber who is a member) hand it to the
 * `events` subscriptions of the recipients they hold. An instance with no member of a
 * conversation receives nothing of it, so instances add capacity. Each subscription also
 * checks, at delivery, that its user still belongs to the event's conversation: a removed
 * member receives nothing further.
 */
import type { Message, User } from '../generated/prisma/client.js';
import type { MemberRole } from '../generated/prisma/enums.js';
import type { Sql } from './db/sql.js';
import type { Metrics } from './metrics.js';
import { admit, EventQueue } from './event-queue.js';
import type { Envelope, EventChannels } from './pubsub.js';

interface ConversationEvent {
  conversationId: string;
  /** The conversation's change counter after this change. */
  seq: number;
  /** The message this change created or changed (a SYSTEM message for membership and title changes). */
  message: Message;
  /**
   * For a reply: those of the recipients who do not see the message it replies to (their
   * `replyTo` is null), decided with the change. Absent when not known: then each recipient's
   * is read at delivery.
   */
  replyTargetUnseenBy?: string[] | null;
}

/**
 * The public part of a user: a sent message's event carries its sender's, read in the
 * send's own statement, so that no instance reads the sender again for its recipients.
 */
export type SenderCard = Pick<User, 'id' | 'username' | 'displayName' | 'bio' | 'createdAt'>;

/** Why a subscriber is told to run `sync`. */
export enum SyncReason {
  /**
   * Events may have missed this instance: its link to the shared pub/sub was down, or it began to
   * follow a conversation that a subscriber joined after changes were already made in it.
   */
  EVENTS_INTERRUPTED = 'EVENTS_INTERRUPTED',
}

export type AppEvent =
  | ({ type: 'MESSAGE_ADDED'; sender?: SenderCard | null } & ConversationEvent)
  | ({ type: 'MESSAGE_EDITED' } & ConversationEvent)
  | ({ type: 'MESSAGE_DELETED' } & ConversationEvent)
  | ({ type: 'CONVERSATION_UPDATED' } & ConversationEvent)
  | ({ type: 'MEMBER_JOINED'; userIds: string[] } & ConversationEvent)
  | ({ type: 'MEMBER_LEFT'; userId: string } & ConversationEvent)
  | ({ type: 'MEMBER_ROLE_CHANGED'; userId: string; role: MemberRole } & ConversationEvent)
  | { type: 'READ_RECEIPT'; conversationId: string; userId: string; lastReadSeq: number }
  | { type: 'TYPING'; conversationId: string; userId: string }
  | { type: 'PRESENCE'; userId: string; online: boolean; lastSeenAt: Date | null }
  | { type: 'PROFILE_CHANGED'; userId: string }
  | { type: 'CONVERSATION_REMOVED'; conversationId: string }
  /** The user deleted a message for themselves: for their own devices; `hiddenSeq` is their count of such messages in the conversation. */
  | { type: 'MESSAGE_HIDDEN'; conversationId: string; messageId: string; hiddenSeq: number }
  | { type: 'SYNC_REQUIRED'; reason: SyncReason };

export type AppEventType = AppEvent['type'];

/** Where a subscriber learns which conversations its user belongs to right now. */
export interface MembershipSource {
  isMember(userId: string, conversationId: string): Promise<boolean>;
  /** The seq of each of the user's conversations now. */
  seqsOf(userId: string): Promise<Map<string, number>>;
  /** The conversation's seq now (0 when it is gone). */
  seqOf(conversationId: string): Promise<number>;
}

/**
 * Memberships as the event stream checks them: straight from the database, through the pool
 * (core/db/sql.ts) — every subscriber's arrival reads them, thousands a minute when a server
 * restarts and its clients come back. A member an admin removed keeps a read-only membership
 * (removed_seq set) and is not a member here: nothing more reaches them.
 */
export function membershipsIn(sql: Sql): MembershipSource {
  return {
    async isMember(userId, conversationId) {
      const rows = await sql.rows<{ one: number }>`
        SELECT 1 AS one FROM memberships WHERE user_id = ${userId}::uuid AND conversation_id = ${conversationId}::uuid AND removed_seq IS NULL`;
      return rows.length > 0;
    },
    async seqsOf(userId) {
      const rows = await sql.rows<{ id: string; seq: number }>`
        SELECT c.id::text AS id, c.seq FROM memberships mb JOIN conversations c ON c.id = mb.conversation_id
        WHERE mb.user_id = ${userId}::uuid AND mb.removed_seq IS NULL`;
      return new Map(rows.map((row) => [row.id, row.seq]));
    },
    async seqOf(conversationId) {
      const rows = await sql.rows<{ seq: number }>`SELECT seq FROM conversations WHERE id = ${conversationId}::uuid`;
      return rows[0]?.seq ?? 0;
    },
  };
}

/** The channel of a conversation's changes, and of one user's own events. */
const conversationChannel = (conversationId: string) => `c:${conversationId}`;
const userChannel = (userId: string) => `u:${userId}`;
/** Every instance follows it: events for many users at once that belong to no conversation (presence, profiles). */
const EVERYONE = 'all';
/** Past this many recipients, an event of no conversation goes to {@link EVERYONE}, not to each one's channel. */
const MAX_USER_CHANNELS = 16;

/** What this instance follows for one user while they have live subscriptions here (a new one each time they arrive). */
interface LocalUser {
  userId: string;
  conversations: Set<string>;
  /** The user's changes of channels, in order: their conversations are loaded first. */
  settled: Promise<void>;
}

export class EventBus {
  /** The live subscriptions on this instance, by user. */
  private readonly subscribers = new Map<string, Set<EventQueue>>();
  private readonly localUsers = new Map<string, LocalUser>();
  /** The conversation channels this instance follows, each with the local users it follows it for. */
  private readonly followers = new Map<string, Set<LocalUser>>();
  /** Each followed conversation channel: settled once it holds. */
  private readonly following = new Map<string, Promise<void>>();
  /** When each event in the queues was published (see {@link publishedAt}). */
  private readonly publishTimes = new WeakMap<AppEvent, number>();
  private closed = false;

  /** @param metrics counts what is published; absent when metrics are off */
  constructor(
    private readonly channels: EventChannels,
    private readonly memberships: MembershipSource,
    private readonly metrics?: Metrics,
  ) {
    channels.listen((envelope) => this.receive(envelope));
    void channels.follow([EVERYONE]);
  }

  /**
   * Sends `event` to `recipients` on every instance that holds one of them. Call after the
   * change committed. A conversation's changes go on its channel, once however many members;
   * the members who join with this change are told on their own channels, since their
   * instances may not follow the conversation yet.
   */
  publish(recipients: Iterable<string>, event: AppEvent): void {
    const unique = [...new Set(recipients)];
    if (unique.length === 0) return;
    const publishedAt = Date.now();
    this.metrics?.eventPublished(event.type);
    // Not a change inside the conversation but news for some of its members only (their own devices).
    if (!('conversationId' in event) || event.type === 'CONVERSATION_REMOVED' || event.type === 'MESSAGE_HIDDEN') {
      return this.publishToUsers(unique, (users) => ({ recipients: users, event, publishedAt }));
    }
    const joined = event.type === 'MEMBER_JOINED' ? new Set(event.userIds) : null;
    const members = joined ? unique.filter((id) => !joined.has(id)) : unique;
    if (members.length > 0) this.channels.publish(conversationChannel(event.conversationId), { recipients: members, event, publishedAt });
    if (joined) this.publishToUsers(unique.filter((id) => joined.has(id)), (users) => ({ recipients: users, event, publishedAt }));
  }

  /** Tells the instances of `userIds` that they now belong to a conversation (at `seq`): their subscribers hear its changes from here on. */
  started(userIds: string[], conversationId: string, seq: number): void {
    this.publishToUsers(userIds, (users) => ({ recipients: users, follow: { conversationId, seq } }));
  }

  private publishToUsers(userIds: string[], envelopeFor: (users: string[]) => Envelope): void {
    if (userIds.length > MAX_USER_CHANNELS) return this.channels.publish(EVERYONE, envelopeFor(userIds));
    for (const userId of userIds) this.channels.publish(userChannel(userId), envelopeFor([userId]));
  }

  private receive(envelope: Envelope): void {
    if (this.closed) return;
    if ('follow' in envelope) {
      const { conversationId, seq } = envelope.follow;
      for (const userId of envelope.recipients) if (this.localUsers.has(userId)) this.join(userId, conversationId, seq);
      return;
    }
    const { recipients, event, publishedAt } = envelope;
    this.metrics?.eventReceived(event.type);
    this.publishTimes.set(event, publishedAt);
    for (const userId of recipients) {
      const queues = this.subscribers.get(userId);
      if (!queues) continue;
      for (const queue of queues) queue.push(event);
      if (event.type === 'MEMBER_JOINED' && event.userIds.includes(userId)) this.join(userId, event.conversationId, event.seq);
      if (event.type === 'CONVERSATION_REMOVED' || (event.type === 'MEMBER_LEFT' && event.userId === userId)) this.maybeLeave(userId, event.conversationId);
    }
  }

  /**
   * Follows a conversation for a local user who just joined it (at `seq`). Its changes made
   * before the channel held did not reach this instance: if there were any, the user's
   * subscribers are told to sync.
   */
  private join(userId: string, conversationId: string, seq: number): void {
    this.afterSettled(userId, async (local) => {
      if (local.conversations.has(conversationId)) return;
      local.conversations.add(conversationId);
      // Changes made before the channel held reached nobody here, whoever else follows it.
      await this.followConversations(local, [conversationId]);
      if (this.channels.selective && (await this.memberships.seqOf(conversationId)) > seq) this.requireSyncOf(userId, SyncReason.EVENTS_INTERRUPTED);
    });
  }

  /** A conversation removed for a local user: still followed if they only hid it ("delete for me"). */
  private maybeLeave(userId: string, conversationId: string): void {
    this.afterSettled(userId, async (local) => {
      if (!local.conversations.has(conversationId) || (await this.memberships.isMember(userId, conversationId))) return;
      local.conversations.delete(conversationId);
      this.unfollowConversations(local, [conversationId]);
    });
  }

  private afterSettled(userId: string, step: (local: LocalUser) => Promise<void>): void {
    const local = this.localUsers.get(userId);
    if (!local) return;
    local.settled = local.settled.then(() => (this.localUsers.get(userId) === local ? step(local) : undefined)).catch(() => {});
  }

  /** Follows conversations for a local user; resolves once each of their channels holds. */
  private followConversations(local: LocalUser, conversationIds: string[]): Promise<void> {
    const fresh: string[] = [];
    for (const conversationId of conversationIds) {
      let users = this.followers.get(conversationId);
      if (!users) this.followers.set(conversationId, (users = new Set()));
      if (users.size === 0) fresh.push(conversationId);
      users.add(local);
    }
    if (fresh.length > 0) {
      // One command: once the last channel holds, so do the others.
      const held = this.channels.follow(fresh.map(conversationChannel));
      for (const conversationId of fresh) this.following.set(conversationId, held);
    }
    return Promise.all(conversationIds.map((conversationId) => this.following.get(conversationId))).then(() => {});
  }

  private unfollowConversations(local: LocalUser, conversationIds: Iterable<string>): void {
    const stale: string[] = [];
    for (const conversationId of conversationIds) {
      const users = this.followers.get(conversationId);
      if (!users?.delete(local) || users.size > 0) continue;
      this.followers.delete(conversationId);
      this.following.delete(conversationId);
      stale.push(conversationChannel(conversationId));
    }
    if (stale.length > 0) this.channels.unfollow(stale);
  }

  /**
   * The user's first subscription here. Their own channel holds first, so that a conversation
   * they join from now on is heard of; then their conversations are loaded and followed. What
   * changed in those meanwhile (before their channels held) reached nobody here: the user is
   * then told to sync. A user whose conversations cannot be loaded is ended: the client reconnects.
   */
  private arrive(userId: string): void {
    const local: LocalUser = { userId, conversations: new Set(), settled: Promise.resolve() };
    this.localUsers.set(userId, local);
    local.settled = (async () => {
      await this.channels.follow([userChannel(userId)]);
      const seqs = await this.memberships.seqsOf(userId);
      if (this.localUsers.get(userId) !== local) return;
      for (const id of seqs.keys()) local.conversations.add(id);
      await this.followConversations(local, [...seqs.keys()]);
      if (!this.channels.selective || seqs.size === 0) return;
      const now = await this.memberships.seqsOf(userId);
      if ([...seqs].some(([id, seq]) => (now.get(id) ?? seq) > seq)) this.requireSyncOf(userId, SyncReason.EVENTS_INTERRUPTED);
    })().catch((error: unknown) => {
      for (const queue of this.subscribers.get(userId) ?? []) queue.fail(error instanceof Error ? error : new Error(String(error)));
    });
  }

  /** The user's last subscription here ended. */
  private depart(userId: string): void {
    const local = this.localUsers.get(userId);
    if (!local) return;
    this.localUsers.delete(userId);
    // After the conversations are loaded, so that none is followed after the user left. The channels
    // are followed per arrival: a new arrival of the same user keeps its own.
    void local.settled.then(() => {
      this.unfollowConversations(local, local.conversations);
      if (!this.localUsers.has(userId)) this.channels.unfollow([userChannel(userId)]);
    });
  }

  /** When `event`, as this instance received it, was published (ms since the epoch); undefined for one made here only ({@link requireSync}). */
  publishedAt(event: AppEvent): number | undefined {
    return this.publishTimes.get(event);
  }

  /** The live subscriptions on this instance. */
  get subscriptions(): number {
    let count = 0;
    for (const queues of this.subscribers.values()) count += queues.size;
    return count;
  }

  /**
   * Tells every subscriber on this instance to catch up with `sync`, as after a reconnect:
   * events may have been missed. Pushed straight to the local queues, so it arrives even
   * while the pub/sub does not carry anything, and after everything already queued.
   */
  requireSync(reason: SyncReason): void {
    for (const userId of this.subscribers.keys()) this.requireSyncOf(userId, reason);
  }

  private requireSyncOf(userId: string, reason: SyncReason): void {
    const event: AppEvent = { type: 'SYNC_REQUIRED', reason };
    for (const queue of this.subscribers.get(userId) ?? []) queue.push(event);
  }

  /**
   * The events for one user, filtered by their membership at delivery. The set of the
   * user's conversations is a cache: an event for one it does not know (a conversation
   * just started with them) is checked against the database once.
   */
  subscribe(userId: string): AsyncIterableIterator<AppEvent> {
    const queue = new EventQueue(() => {
      const queues = this.subscribers.get(userId);
      queues?.delete(queue);
      if (queues?.size === 0) {
        this.subscribers.delete(userId);
        this.depart(userId);
      }
    });
    let queues = this.subscribers.get(userId);
    if (!queues) {
      this.subscribers.set(userId, (queues = new Set()));
      this.arrive(userId);
    }
    queues.add(queue);
    // Loaded now (with the user's arrival here), not at the first event: a change made right after
    // subscribing is judged by today's memberships. Each subscription keeps its own copy.
    const local = this.localUsers.get(userId)!;
    let known: Set<string> | undefined;
    const loading = local.settled.then(() => (known = new Set(local.conversations)));
    loading.catch(() => {}); // a failure surfaces at the first event, not as an unhandled rejection before it
    const memberships = this.memberships;
    return {
      async next() {
        for (;;) {
          const step = await queue.next();
          if (step.done) return step;
          const conversations = known ?? (await loading);
          const verdict = admit(userId, conversations, step.value);
          if (verdict === true) return step;
          if (verdict === false) continue;
          const { conversationId } = step.value as { conversationId: string };
          if (!(await memberships.isMember(userId, conversationId))) continue;
          conversations.add(conversationId);
          return step;
        }
      },
      return: () => queue.return(),
      throw: (error: unknown) => queue.throw(error),
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
