/**
 * Catching up: what a member has not seen after a client's cursors, for `changes` (a gap in
 * the event stream) and `sync` (after a reconnect). Two cursors per conversation: its seq,
 * which every change inside it takes, and the member's hidden count, which "delete for me"
 * takes instead (it changes nothing for anyone else, so it takes no seq). MessageService
 * decides who may ask; this reads through the repository, the visibility rule included.
 */
import type { Conversation, Membership, Message } from '../../generated/prisma/client.js';
import { isListed, knownSeq } from '../conversations/visibility.js';
import type { MessageRepository } from './messages.repository.js';

/** Everything in one conversation after a seq, as of `toSeq`. */
export interface ConversationChanges {
  conversation: Conversation;
  /** Messages created or changed after `fromSeq`, in the order of their latest change. */
  messages: Message[];
  fromSeq: number;
  /** The client's new cursor: all changes up to this seq are reflected. */
  toSeq: number;
  /** The messages the viewer deleted for themselves after the hidden cursor asked from (none when none was given). */
  hiddenMessageIds: string[];
  /**
   * The client's new hidden cursor: every message the viewer deleted for themselves up to this
   * count is reflected. 0 when no hidden cursor was given, since none is listed then.
   */
  hiddenSeq: number;
  /** More changes follow: ask again from `toSeq` (and `hiddenSeq`). */
  hasMore: boolean;
}

/** Where a client stands in one conversation: its seq, and how many of their hidden messages it knows of (null: it does not follow them). */
export interface SyncCursor {
  conversationId: string;
  seq: number;
  hiddenSeq?: number | null;
}

export interface SyncResult {
  changes: ConversationChanges[];
  /** Conversations in the client's cursors that the viewer no longer has. */
  removedConversationIds: string[];
  hasMore: boolean;
}

export const MAX_PAGE = 100;
/** How many messages (and hidden ones) one `sync` returns at most, over all conversations. */
export const SYNC_BUDGET = 500;

type MemberOf = Membership & { conversation: Conversation };

export class CatchUp {
  constructor(private readonly repository: MessageRepository) {}

  /** What changed in the member's conversation after `from`. */
  async changes(membership: MemberOf, from: Omit<SyncCursor, 'conversationId'>, limit: number): Promise<ConversationChanges> {
    const { userId, conversationId } = membership;
    // Without a hidden cursor nothing hidden is listed, so the count is not needed.
    const hiddenSeq = from.hiddenSeq != null ? ((await this.repository.hiddenSeqs(userId, conversationId)).get(conversationId) ?? 0) : 0;
    return this.changesOf(membership, from, hiddenSeq, limit);
  }

  /** Everything after `cursors` in all of the user's conversations, in one round trip, bounded by {@link SYNC_BUDGET}. */
  async sync(userId: string, cursors: SyncCursor[]): Promise<SyncResult> {
    // Keyed as PostgreSQL spells ids (the cursors' ids are validated uuids, which it also takes in capitals).
    const known = new Map(cursors.map((c) => [c.conversationId.toLowerCase(), c]));
    // Read before the messages (see changesOf).
    const hiddenSeqs = await this.repository.hiddenSeqs(userId);
    const memberships = await this.repository.memberships(userId);
    // As in the list: a conversation deleted "for me" stays away until it has news.
    const listed = memberships.filter((m) => isListed(m, m.conversation));
    const mineIds = new Set(listed.map((m) => m.conversationId));
    const stale = listed.filter((m) => {
      const cursor = known.get(m.conversationId);
      if (!cursor) return true;
      // A message deleted for the member moves no seq: only their hidden count tells of it.
      const hiddenBehind = cursor.hiddenSeq != null && (hiddenSeqs.get(m.conversationId) ?? 0) > cursor.hiddenSeq;
      return knownSeq(m, m.conversation) > cursor.seq || hiddenBehind;
    });

    const changes: ConversationChanges[] = [];
    let budget = SYNC_BUDGET;
    let hasMore = false;
    for (const membership of stale) {
      if (budget <= 0) {
        hasMore = true;
        break;
      }
      const hiddenSeq = hiddenSeqs.get(membership.conversationId) ?? 0;
      // One the client has never seen comes whole, what is hidden left out: it holds nothing to
      // drop, so its hidden cursor is the count now.
      const cursor = known.get(membership.conversationId) ?? { seq: 0, hiddenSeq };
      const result = await this.changesOf(membership, cursor, hiddenSeq, Math.min(MAX_PAGE, budget));
      budget -= result.messages.length + result.hiddenMessageIds.length;
      hasMore ||= result.hasMore;
      changes.push(result);
    }
    return { changes, removedConversationIds: [...known.keys()].filter((id) => !mineIds.has(id)), hasMore };
  }

  /**
   * What the member has not seen after `from`: messages that changed after its seq, and, when it
   * follows them (its `hiddenSeq` is given), the messages they deleted for themselves after that
   * count. `hiddenSeq` is their count now, read before the messages: one they hide meanwhile may
   * still come in `messages`, and then comes as hidden at the next catch-up, never the other way.
   * A client that follows no hidden cursor is given none (0): it would never drop what it holds.
   */
  private async changesOf(membership: MemberOf, from: Omit<SyncCursor, 'conversationId'>, hiddenSeq: number, limit: number): Promise<ConversationChanges> {
    const { conversation, userId } = membership;
    const afterSeq = from.seq;
    const hiddenAfter = from.hiddenSeq ?? null;
    // The rule decides what the member sees (visibility.ts): a removed member's copy ends at their removal.
    const rows = await this.repository.changedAfter(userId, conversation.id, afterSeq, limit + 1);
    const messages = rows.slice(0, limit);
    const moreMessages = rows.length > limit;
    const hidden = hiddenAfter !== null && hiddenAfter < hiddenSeq ? await this.repository.hiddenAfter(userId, conversation.id, hiddenAfter, limit + 1) : [];
    const hides = hidden.slice(0, limit);
    const moreHides = hidden.length > limit;
    return {
      conversation,
      messages,
      fromSeq: afterSeq,
      toSeq: moreMessages ? messages.at(-1)!.updatedSeq : Math.max(afterSeq, knownSeq(membership, conversation)),
      hiddenMessageIds: hides.map((entry) => entry.messageId),
      hiddenSeq: hiddenAfter === null ? 0 : moreHides ? hides.at(-1)!.hiddenSeq : Math.max(hiddenSeq, hiddenAfter, hides.at(-1)?.hiddenSeq ?? 0),
      hasMore: moreMessages || moreHides,
    };
  }
}
