/**
 * The realtime event stream. A change publishes one envelope (event + recipients) on
 * the shared pub/sub — one Redis message however many members — and every instance
 * hands it to the `events` subscriptions of those recipients it holds. Each
 * subscription also checks, at delivery, that its user still belongs to the event's
 * conversation: a removed member receives nothing further.
 */
import type { MemberRole } from '../generated/prisma/enums.js';
import type { MessageRecord } from '../modules/messages/messages.records.js';
import type { Prisma } from './db/database.js';
import type { Metrics } from './metrics.js';
import { Topic, type EnvelopePayload, type PubSub } from './pubsub.js';

interface ConversationEvent {
  conversationId: string;
  /** The conversation's change counter after this change. */
  seq: number;
  /** The message this change created or changed (a SYSTEM message for membership and title changes). */
  message: MessageRecord;
}

/** Why a subscriber is told to run `sync`. */
export enum SyncReason {
  /** This instance's link to the shared pub/sub was down: events published meanwhile did not reach it. */
  EVENTS_INTERRUPTED = 'EVENTS_INTERRUPTED',
}

export type AppEvent =
  | ({ type: 'MESSAGE_ADDED' } & ConversationEvent)
  | ({ type: 'MESSAGE_EDITED' } & ConversationEvent)
  | ({ type: 'MESSAGE_DELETED' } & ConversationEvent)
  | ({ type: 'CONVERSATION_UPDATED' } & ConversationEvent)
  | ({ type: 'MEMBER_JOINED'; userIds: string[] } & ConversationEvent)
  | ({ type: 'MEMBER_LEFT'; userId: string } & ConversationEvent)
  | ({ type: 'MEMBER_ROLE_CHANGED'; userId: string; role: MemberRole } & ConversationEvent)
  | { type: 'READ_RECEIPT'; conversationId: string; userId: string; lastReadSeq: number }
  | { type: 'TYPING'; conversationId: string; userId: string }
  | { type: 'PRESENCE'; userId: string; online: boolean; lastSeenAt: Date | null }
  | { type: 'CONVERSATION_REMOVED'; conversationId: string }
  | { type: 'SYNC_REQUIRED'; reason: SyncReason };

export type AppEventType = AppEvent['type'];

/** Where a subscriber learns which conversations its user belongs to right now. */
export interface MembershipSource {
  conversationsOf(userId: string): Promise<string[]>;
  isMember(userId: string, conversationId: string): Promise<boolean>;
}

/** Memberships as the event stream checks them: straight from the database. */
export function membershipsIn(prisma: Prisma): MembershipSource {
  return {
    async conversationsOf(userId) {
      const rows = await prisma.membership.findMany({ where: { userId }, select: { conversationId: true } });
      return rows.map((row) => row.conversationId);
    },
    async isMember(userId, conversationId) {
      return (await prisma.membership.count({ where: { userId, conversationId } })) > 0;
    },
  };
}

export class EventBus {
  /** The live subscriptions on this instance, by user. */
  private readonly subscribers = new Map<string, Set<EventQueue>>();
  private readonly envelopes: AsyncIterator<EnvelopePayload> & AsyncIterable<EnvelopePayload>;
  private readonly pump: Promise<void>;
  /** When each event in the queues was published (see {@link publishedAt}). */
  private readonly publishTimes = new WeakMap<AppEvent, number>();

  /** @param metrics counts what is published; absent when metrics are off */
  constructor(
    private readonly pubSub: PubSub,
    private readonly memberships: MembershipSource,
    private readonly metrics?: Metrics,
  ) {
    const envelopes = pubSub.subscribe(Topic.Events);
    this.envelopes = envelopes;
    this.pump = (async () => {
      for await (const { recipients, event, publishedAt } of envelopes) {
        this.publishTimes.set(event, publishedAt);
        for (const userId of recipients) {
          const queues = this.subscribers.get(userId);
          if (queues) for (const queue of queues) queue.push(event);
        }
      }
    })();
  }

  /** Sends `event` to `recipients` on every instance. Call after the change committed. */
  publish(recipients: Iterable<string>, event: AppEvent): void {
    const unique = [...new Set(recipients)];
    if (unique.length === 0) return;
    this.pubSub.publish(Topic.Events, { recipients: unique, event, publishedAt: Date.now() });
    this.metrics?.eventPublished(event.type);
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
    const event: AppEvent = { type: 'SYNC_REQUIRED', reason };
    for (const queues of this.subscribers.values()) for (const queue of queues) queue.push(event);
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
      if (queues?.size === 0) this.subscribers.delete(userId);
    });
    let queues = this.subscribers.get(userId);
    if (!queues) this.subscribers.set(userId, (queues = new Set()));
    queues.add(queue);
    // Loaded now, not at the first event: a change made right after subscribing is judged by today's memberships.
    let known: Set<string> | undefined;
    const loading = this.memberships.conversationsOf(userId).then((ids) => (known = new Set(ids)));
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
    await this.envelopes.return?.();
    await this.pump;
  }
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * One subscription's pending events, in order. A subscriber this far behind (its socket
 * not taking what it is sent) is ended with an error: its client reconnects and catches
 * up by seq, instead of the server holding an ever longer queue for it.
 */
export const MAX_PENDING_EVENTS = 10_000;

class EventQueue {
  private readonly pending: AppEvent[] = [];
  private waiting: ((step: IteratorResult<AppEvent, undefined>) => void) | undefined;
  private ended = false;
  private overflowed = false;

  constructor(private readonly onEnd: () => void) {}

  push(event: AppEvent): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: event, done: false });
    } else if (this.pending.length < MAX_PENDING_EVENTS) {
      this.pending.push(event);
    } else {
      this.overflowed = true;
      this.end();
    }
  }

  next(): Promise<IteratorResult<AppEvent, undefined>> {
    if (this.overflowed) return Promise.reject(new Error('the subscriber fell too far behind'));
    if (this.pending.length > 0) return Promise.resolve({ value: this.pending.shift()!, done: false });
    if (this.ended) return Promise.resolve(DONE);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorReturnResult<undefined>> {
    this.end();
    return Promise.resolve(DONE);
  }

  throw(error: unknown): Promise<never> {
    this.end();
    return Promise.reject(error);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.pending.length = 0;
    this.waiting?.(DONE);
    this.waiting = undefined;
    this.onEnd();
  }
}

/**
 * Keeps a subscriber's view of its conversations current and decides whether `event`
 * reaches it: true, false, or 'unknown' when the conversation is not in the view.
 */
export function admit(userId: string, conversations: Set<string>, event: AppEvent): boolean | 'unknown' {
  switch (event.type) {
    case 'PRESENCE':
    case 'SYNC_REQUIRED':
      return true;
    case 'CONVERSATION_REMOVED':
      conversations.delete(event.conversationId);
      return true;
    case 'MEMBER_JOINED':
      if (event.userIds.includes(userId)) conversations.add(event.conversationId);
      break;
    case 'MEMBER_LEFT':
      if (event.userId === userId) {
        conversations.delete(event.conversationId);
        return false;
      }
      break;
  }
  return conversations.has(event.conversationId) || 'unknown';
}

