/**
 * The client side of "nothing lost, nothing twice" (DESIGN.md). A cursor per
 * conversation: the last seq applied. An event at cursor + 1 is applied; at or below,
 * it was covered already; above, there is a gap, filled with `changes`. After a
 * reconnect, `resync` asks once for everything after the cursors; so does a
 * SyncRequiredEvent (the server may have missed events). Beside each cursor, a hidden
 * cursor: how many of the conversation's messages the viewer deleted for themselves (on this
 * device or another), applied by the same rule from MessageHiddenEvents, `changes` and `sync`
 * — such a deletion takes no seq, so the seq cursor alone would never learn of it. Events
 * are handled one at a time, in arrival order. Pure: the transport and the store are passed in.
 */
import type { ChangesData, ConversationData, EventData, MessageData, ProfileData, SyncData } from '../graphql/messenger';
import type { MessageSource } from './history';

/** Where the client stands in one conversation (SyncCursorInput). */
export interface Cursor {
  conversationId: string;
  seq: number;
  /** null: not known yet (the server then lists no hidden messages). */
  hiddenSeq: number | null;
}

export interface SyncTransport {
  changes(conversationId: string, afterSeq: number, hiddenAfter: number | null): Promise<ChangesData>;
  sync(cursors: Cursor[]): Promise<SyncData>;
  conversation(conversationId: string): Promise<ConversationData | null>;
}

export interface SyncStore {
  putConversation(conversation: ConversationData): void;
  /** Messages from an event or a gap fill; how they enter the store is the store's rule (sync/history.ts). */
  putMessages(conversationId: string, messages: MessageData[], source: Extract<MessageSource, 'event' | 'changes'>): void;
  /** A new message moved the conversation: preview, activity, unread count. */
  messageAdded(conversationId: string, message: MessageData, seq: number): void;
  removeConversation(conversationId: string): void;
  /** Messages deleted for the viewer alone: out of the history (sync/history.ts). */
  hideMessages(conversationId: string, messageIds: readonly string[]): void;
  readReceipt(conversationId: string, userId: string, lastReadSeq: number): void;
  presence(userId: string, online: boolean, lastSeenAt: string | null): void;
  /** Someone's name or picture changed: wherever they show. */
  profile(user: ProfileData): void;
  typing(conversationId: string, user: { id: string; displayName: string }): void;
}

export class SyncEngine {
  readonly cursors = new Map<string, number>();
  /** Per conversation, how many of the messages the viewer deleted for themselves are applied (Conversation.hiddenSeq). */
  readonly hiddenCursors = new Map<string, number>();
  /** Conversations the server removed from this user's list, until a change brings one back. */
  private readonly removed = new Set<string>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly transport: SyncTransport,
    private readonly store: SyncStore,
    private readonly viewerId: string,
  ) {}

  /**
   * Takes cursors for conversations it has none for from a loaded conversation list. A
   * cursor it has is never moved: a list fetched later reports a newer seq without the
   * changes behind it, and taking it would skip their events.
   */
  seed(conversations: readonly Pick<ConversationData, 'id' | 'seq' | 'hiddenSeq'>[]): void {
    for (const { id, seq, hiddenSeq } of conversations) {
      if (!this.cursors.has(id)) this.cursors.set(id, seq);
      if (!this.hiddenCursors.has(id)) this.hiddenCursors.set(id, hiddenSeq);
    }
  }

  /** Queues an event from the subscription. */
  handle(event: EventData): Promise<void> {
    return this.enqueue(() => this.apply(event));
  }

  /** After a reconnect: everything after the cursors. */
  resync(): Promise<void> {
    return this.enqueue(() => this.catchUp());
  }

  /** Resolves once everything queued so far is applied. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      console.error('sync: a step failed; the next reconnect or gap fill will catch up', error);
    });
    return this.queue;
  }

  private async apply(event: EventData): Promise<void> {
    switch (event.__typename) {
      case 'ReadReceiptEvent':
        this.store.readReceipt(event.conversationId, event.userId, event.lastReadSeq);
        if (event.userId === this.viewerId) await this.refresh(event.conversationId);
        return;
      case 'TypingEvent':
        this.store.typing(event.conversationId, event.user);
        return;
      case 'PresenceEvent':
        this.store.presence(event.userId, event.online, event.lastSeenAt);
        return;
      case 'ProfileChangedEvent':
        this.store.profile(event.user);
        return;
      case 'ConversationRemovedEvent':
        this.forget(event.conversationId);
        return;
      case 'MessageHiddenEvent':
        await this.hidden(event.conversationId, event.messageId, event.hiddenSeq);
        return;
      case 'SyncRequiredEvent':
        // Events may have been lost for any conversation, and a quiet one would show no gap.
        await this.catchUp();
        return;
    }
    const cursor = this.cursors.get(event.conversationId);
    if (cursor === undefined) {
      // A conversation this client has not seen: take it from just before this change.
      await this.fill(event.conversationId, event.seq - 1);
      return;
    }
    if (event.seq <= cursor) return;
    if (event.seq > cursor + 1) {
      await this.fill(event.conversationId, cursor);
      return;
    }
    this.cursors.set(event.conversationId, event.seq);
    this.store.putMessages(event.conversationId, [event.message], 'event');
    if (event.__typename === 'MessageAddedEvent') {
      this.store.messageAdded(event.conversationId, event.message, event.seq);
    } else if (event.__typename !== 'MessageEditedEvent' && event.__typename !== 'MessageDeletedEvent') {
      // Title, members or roles changed (a SYSTEM message): take the conversation as it is now.
      this.store.messageAdded(event.conversationId, event.message, event.seq);
      await this.refresh(event.conversationId);
    }
  }

  /**
   * A message deleted for the viewer. The store hears of it whatever the cursor says (it keeps
   * the message out from now on, of a page already on its way too, and hearing twice changes
   * nothing); the cursor moves by its rule: once, a jump filled with `changes`.
   */
  private async hidden(conversationId: string, messageId: string, hiddenSeq: number): Promise<void> {
    this.store.hideMessages(conversationId, [messageId]);
    const cursor = this.hiddenCursors.get(conversationId);
    // A conversation this client does not hold yet comes without it when it first comes.
    if (cursor === undefined || hiddenSeq <= cursor) return;
    if (hiddenSeq > cursor + 1) {
      await this.fill(conversationId, this.cursors.get(conversationId) ?? 0);
      return;
    }
    this.hiddenCursors.set(conversationId, hiddenSeq);
    // Its preview and unread count, now without it.
    await this.refresh(conversationId);
  }

  /** Everything after the cursors, new conversations included, in as many rounds as it takes. */
  private async catchUp(): Promise<void> {
    for (;;) {
      const cursors = [...this.cursors].map(([conversationId, seq]) => ({ conversationId, seq, hiddenSeq: this.hiddenCursors.get(conversationId) ?? null }));
      const result = await this.transport.sync(cursors);
      for (const change of result.changes) this.applyChanges(change);
      for (const id of result.removedConversationIds) this.forget(id);
      if (!result.hasMore) return;
    }
  }

  private async fill(conversationId: string, afterSeq: number): Promise<void> {
    let after = afterSeq;
    for (;;) {
      const changes = await this.transport.changes(conversationId, after, this.hiddenCursors.get(conversationId) ?? null);
      this.applyChanges(changes);
      after = changes.toSeq;
      if (!changes.hasMore) return;
    }
  }

  private applyChanges(changes: ChangesData): void {
    const id = changes.conversation.id;
    this.removed.delete(id);
    this.store.putConversation(changes.conversation);
    this.store.putMessages(id, changes.messages, 'changes');
    if (changes.hiddenMessageIds.length > 0) this.store.hideMessages(id, changes.hiddenMessageIds);
    this.cursors.set(id, Math.max(this.cursors.get(id) ?? 0, changes.toSeq));
    this.hiddenCursors.set(id, Math.max(this.hiddenCursors.get(id) ?? 0, changes.hiddenSeq));
  }

  /**
   * Takes a conversation as it is now, unless it was removed meanwhile: a read receipt of
   * one's own can be published just after the "removed" of a chat deleted for oneself
   * (the read came first, its event second), and would otherwise bring the chat back.
   */
  private async refresh(conversationId: string): Promise<void> {
    if (this.removed.has(conversationId)) return;
    const conversation = await this.transport.conversation(conversationId);
    if (conversation && !this.removed.has(conversationId)) this.store.putConversation(conversation);
  }

  private forget(conversationId: string): void {
    this.removed.add(conversationId);
    this.cursors.delete(conversationId);
    this.hiddenCursors.delete(conversationId);
    this.store.removeConversation(conversationId);
  }
}
