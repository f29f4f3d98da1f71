/**
 * The sync protocol (docs/API.md, "Sync"): nothing lost, nothing twice.
 *
 * A cursor per conversation: the last seq applied. An event whose seq is the cursor + 1 is
 * applied; at or below the cursor it was applied already (by a gap fill or a sync); above
 * cursor + 1 there is a gap, filled with `changes` after the cursor. Beside it a hidden cursor:
 * how many of the conversation's messages the user deleted for themselves ("delete for me",
 * on any of their devices), which takes no seq; MessageHiddenEvent is applied by the same
 * rule, and `changes` and `sync` are given both cursors. After every (re)connect
 * and on SyncRequiredEvent, `sync` brings everything after all cursors, conversations never
 * seen included. Everything runs one task at a time, in the order it arrived, so an event
 * that comes while a sync runs is judged against the cursors the sync left.
 *
 * The I/O is passed in, so this file holds only the rules.
 */
import { ApiError } from './http.js';
import type { ConversationChanges, Event, Message, SyncResult } from './operations.js';

/** The two reads the protocol needs; they retry transient failures themselves. */
export interface SyncTransport {
  /** `hiddenSeq` null: not followed (the answer then lists no hidden messages, and its hidden cursor is 0). */
  sync(cursors: { conversationId: string; seq: number; hiddenSeq: number | null }[]): Promise<SyncResult>;
  changes(conversationId: string, afterSeq: number, hiddenAfter: number | null): Promise<ConversationChanges>;
}

/** Where the timeline's news goes: a UI, a database, stdout. */
export interface TimelineListener {
  /** A message seen for the first time; within a conversation, in seq order. */
  added(message: Message): void;
  /** A newer state of a message seen before (edited, deleted). */
  updated(message: Message): void;
  /** The conversation is gone for this user (left, removed, deleted). */
  removed(conversationId: string): void;
  /** A message seen before was deleted for this user alone ("delete for me"). */
  hidden?(conversationId: string, messageId: string): void;
  /** A conversation's title, as `sync` reports it. */
  titled?(conversationId: string, title: string): void;
  /** A sync finished: every conversation is caught up to its cursor. */
  synced?(conversations: number): void;
  /** A task failed in a way retrying could not help; the timeline goes on with the next. */
  failed?(error: Error): void;
}

export class Timeline {
  private readonly cursors = new Map<string, number>();
  /** Per conversation, how many of the messages the user deleted for themselves are applied. */
  private readonly hiddenCursors = new Map<string, number>();
  /** The messages seen, by conversation: id → updatedSeq of the copy applied. */
  private readonly seen = new Map<string, Map<string, number>>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly transport: SyncTransport,
    private readonly listener: TimelineListener,
  ) {}

  /** The last seq applied in a conversation (undefined: never seen). */
  cursor(conversationId: string): number | undefined {
    return this.cursors.get(conversationId);
  }

  /** Applies one event of the `events` subscription; events must be handed over in the order received. */
  handle(event: Event): Promise<void> {
    return this.enqueue(() => this.apply(event));
  }

  /** Catches up with everything after the cursors: after a (re)connect. */
  catchUp(): Promise<void> {
    return this.enqueue(() => this.sync());
  }

  /** Resolves once every task queued so far has run. */
  idle(): Promise<void> {
    return this.queue;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((error: unknown) => this.listener.failed?.(error as Error));
    return this.queue;
  }

  private async apply(event: Event): Promise<void> {
    switch (event.__typename) {
      case 'SyncRequiredEvent':
        return this.sync();
      case 'ConversationRemovedEvent':
        return this.forget(event.conversationId);
      case 'MessageHiddenEvent': {
        const hidden = this.hiddenCursors.get(event.conversationId);
        // A conversation not seen yet comes without the message when it first comes.
        if (hidden === undefined || event.hiddenSeq <= hidden) return;
        if (event.hiddenSeq > hidden + 1) return this.fill(event.conversationId, this.cursors.get(event.conversationId) ?? 0);
        this.hide(event.conversationId, event.messageId);
        this.hiddenCursors.set(event.conversationId, event.hiddenSeq);
        return;
      }
      case 'MessageAddedEvent':
      case 'MessageEditedEvent':
      case 'MessageDeletedEvent':
      case 'ConversationUpdatedEvent':
      case 'MemberJoinedEvent':
      case 'MemberLeftEvent':
      case 'MemberRoleChangedEvent': {
        const cursor = this.cursors.get(event.conversationId) ?? 0;
        if (event.seq <= cursor) return; // applied already
        if (event.seq > cursor + 1) return this.fill(event.conversationId, cursor);
        this.put(event.message);
        this.cursors.set(event.conversationId, event.seq);
        return;
      }
      default:
        // Typing, presence and receipts carry no seq; a kind added later is ignored.
        return;
    }
  }

  /** Fills a gap: everything in the conversation after `from`, page by page. */
  private async fill(conversationId: string, from: number): Promise<void> {
    let after = from;
    for (;;) {
      let page: ConversationChanges;
      try {
        page = await this.transport.changes(conversationId, after, this.hiddenCursors.get(conversationId) ?? null);
      } catch (error) {
        // Gone between the event and the fill (removed from the group, say).
        if (error instanceof ApiError && error.code === 'NOT_FOUND') return this.forget(conversationId);
        throw error;
      }
      after = this.applyChanges(conversationId, page);
      if (!page.hasMore) return;
    }
  }

  /** Everything after the cursors, in all conversations; repeated while the answer says there is more. */
  private async sync(): Promise<void> {
    let conversations = 0;
    for (;;) {
      const cursors = [...this.cursors].map(([conversationId, seq]) => ({ conversationId, seq, hiddenSeq: this.hiddenCursors.get(conversationId) ?? null }));
      const result = await this.transport.sync(cursors);
      for (const change of result.changes) {
        this.listener.titled?.(change.conversation.id, change.conversation.title);
        this.applyChanges(change.conversation.id, change);
      }
      for (const id of result.removedConversationIds) this.forget(id);
      conversations += result.changes.length;
      if (!result.hasMore) break;
    }
    this.listener.synced?.(conversations);
  }

  /** Applies a page of changes in seq order and moves the cursors to its end; returns the new seq cursor. */
  private applyChanges(conversationId: string, page: ConversationChanges): number {
    for (const message of [...page.messages].sort((a, b) => a.seq - b.seq)) this.put(message);
    for (const messageId of page.hiddenMessageIds) this.hide(conversationId, messageId);
    const cursor = Math.max(this.cursors.get(conversationId) ?? 0, page.toSeq);
    this.cursors.set(conversationId, cursor);
    this.hiddenCursors.set(conversationId, Math.max(this.hiddenCursors.get(conversationId) ?? 0, page.hiddenSeq));
    return cursor;
  }

  /** A message deleted for the user: out of the timeline (once, and only one it holds). */
  private hide(conversationId: string, messageId: string): void {
    if (this.seen.get(conversationId)?.delete(messageId)) this.listener.hidden?.(conversationId, messageId);
  }

  /** The one way a message enters the timeline: once as new, after that only when newer. */
  private put(message: Message): void {
    let messages = this.seen.get(message.conversationId);
    if (!messages) this.seen.set(message.conversationId, (messages = new Map()));
    const applied = messages.get(message.id);
    if (applied === undefined) {
      messages.set(message.id, message.updatedSeq);
      this.listener.added(message);
    } else if (message.updatedSeq > applied) {
      messages.set(message.id, message.updatedSeq);
      this.listener.updated(message);
    }
  }

  private forget(conversationId: string): void {
    const known = this.cursors.delete(conversationId);
    this.hiddenCursors.delete(conversationId);
    this.seen.delete(conversationId);
    if (known) this.listener.removed(conversationId);
  }
}
