/**
 * The realtime event stream. A change publishes one envelope (event + recipients) on
 * the shared pub/sub — one Redis message however many members — and every instance
 * hands it to the `events` subscriptions of those recipients it holds. Each
 * subscription also checks, at delivery, that its user still belongs to the event's
 * conversation: a removed member receives nothing further.
 */
import { createPubSub, filter, pipe } from '@graphql-yoga/subscription';
import type { MemberRole } from '../generated/prisma/enums.js';
import type { MessageRecord } from '../modules/messages/messages.records.js';
import type { Prisma } from './db/database.js';
import { Topic, type EnvelopePayload, type PubSub } from './pubsub.js';

interface ConversationEvent {
  conversationId: string;
  /** The conversation's change counter after this change. */
  seq: number;
  /** The message this change created or changed (a SYSTEM message for membership and title changes). */
  message: MessageRecord;
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
  | { type: 'CONVERSATION_REMOVED'; conversationId: string };

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
  private readonly local = createPubSub<{ USER: [string, AppEvent] }>();
  private readonly envelopes: AsyncIterator<EnvelopePayload> & AsyncIterable<EnvelopePayload>;
  private readonly pump: Promise<void>;

  constructor(
    private readonly pubSub: PubSub,
    private readonly memberships: MembershipSource,
  ) {
    const envelopes = pubSub.subscribe(Topic.Events);
    this.envelopes = envelopes;
    this.pump = (async () => {
      for await (const { recipients, event } of envelopes) {
        for (const userId of recipients) this.local.publish('USER', userId, event);
      }
    })();
  }

  /** Sends `event` to `recipients` on every instance. Call after the change committed. */
  publish(recipients: Iterable<string>, event: AppEvent): void {
    const unique = [...new Set(recipients)];
    if (unique.length > 0) this.pubSub.publish(Topic.Events, { recipients: unique, event });
  }

  /**
   * The events for one user, filtered by their membership at delivery. The set of the
   * user's conversations is a cache: an event for one it does not know (a conversation
   * just started with them) is checked against the database once.
   */
  subscribe(userId: string): AsyncIterable<AppEvent> {
    const source = this.local.subscribe('USER', userId);
    const loading = this.memberships.conversationsOf(userId).then((ids) => new Set(ids));
    return pipe(
      source,
      filter(async (event: AppEvent) => {
        const conversations = await loading;
        const verdict = admit(userId, conversations, event);
        if (verdict !== 'unknown') return verdict;
        const conversationId = (event as { conversationId: string }).conversationId;
        if (!(await this.memberships.isMember(userId, conversationId))) return false;
        conversations.add(conversationId);
        return true;
      }),
    );
  }

  async close(): Promise<void> {
    await this.envelopes.return?.();
    await this.pump;
  }
}

/**
 * Keeps a subscriber's view of its conversations current and decides whether `event`
 * reaches it: true, false, or 'unknown' when the conversation is not in the view.
 */
export function admit(userId: string, conversations: Set<string>, event: AppEvent): boolean | 'unknown' {
  switch (event.type) {
    case 'PRESENCE':
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

