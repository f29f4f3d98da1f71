/**
 * A reference client for the sync model (DESIGN.md, "Sync: nothing lost, nothing
 * twice"), as the web client implements it: a cursor per conversation; an event whose
 * seq is the cursor + 1 is applied; one at or below the cursor was already covered; a
 * jump is a gap, filled with `changes`. After a reconnect: subscribe, `sync` everything
 * after the cursors, then apply what the subscription buffered meanwhile. A
 * SyncRequiredEvent (the server may have missed events) is answered with the same `sync`.
 * Beside each seq cursor, a hidden cursor: the messages the user deleted for themselves
 * (MessageHiddenEvent), applied and gap-filled by the same rule.
 */
import type { Client } from 'graphql-ws';
import type { TestServer } from './server.js';
import type { TestUser } from './factories.js';
import { MESSAGE_FIELDS, ok, subscribeEvents, type EventStream, type TestEvent, type TestMessage } from './messenger.js';

interface ChangesPayload {
  conversation: { id: string };
  messages: TestMessage[];
  toSeq: number;
  hiddenMessageIds: string[];
  hiddenSeq: number;
  hasMore: boolean;
}

const CHANGES = `query($id: ID!, $after: Int!, $hiddenAfter: Int) { changes(conversationId: $id, afterSeq: $after, hiddenAfter: $hiddenAfter) {
  conversation { id } messages { ${MESSAGE_FIELDS} } toSeq hiddenMessageIds hiddenSeq hasMore } }`;
const SYNC = `query($cursors: [SyncCursorInput!]!) { sync(cursors: $cursors) {
  changes { conversation { id } messages { ${MESSAGE_FIELDS} } toSeq hiddenMessageIds hiddenSeq hasMore } removedConversationIds hasMore } }`;

export class SyncClient {
  readonly cursors = new Map<string, number>();
  /** Per conversation, how many of the messages the user deleted for themselves are applied. */
  readonly hiddenCursors = new Map<string, number>();
  /** Messages by conversation, keyed by id: the client's view. */
  readonly view = new Map<string, Map<string, TestMessage>>();
  /** How many times each message was inserted into the view (must stay 1). */
  readonly inserts = new Map<string, number>();
  gapFills = 0;
  /** SyncRequiredEvents received (each answered with a `sync`). */
  syncsRequired = 0;
  private queue: Promise<void> = Promise.resolve();
  private stream: EventStream | undefined;
  private readonly waiters: { condition: () => boolean; resolve: () => void }[] = [];

  constructor(
    private readonly server: TestServer,
    private readonly user: TestUser,
  ) {}

  /** Subscribes on `client`, catches up with `sync`, then applies events as they come. */
  async attach(client: Client, ready: (stream: EventStream) => Promise<void>): Promise<void> {
    this.detach();
    const stream = subscribeEvents(client, (event) => {
      if (this.stream === stream) void this.enqueue(() => this.apply(event));
    });
    this.stream = stream;
    await ready(stream);
    await this.enqueue(() => this.sync());
  }

  detach(): void {
    this.stream?.stop();
    this.stream = undefined;
  }

  /** Resolves once every task queued so far (events, gap fills) is done. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Resolves once `condition` holds, checked after every event, gap fill and sync the client applies. */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ condition, resolve }));
  }

  /** Resolves once the client's cursor for a conversation reaches `seq`. */
  reaches(conversationId: string, seq: number): Promise<void> {
    return this.until(() => (this.cursors.get(conversationId) ?? 0) >= seq);
  }

  messagesOf(conversationId: string): TestMessage[] {
    return [...(this.view.get(conversationId)?.values() ?? [])].sort((a, b) => a.seq - b.seq);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).then(() => {
      for (const waiter of [...this.waiters]) {
        if (waiter.condition()) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    });
    return this.queue;
  }

  private async apply(event: TestEvent): Promise<void> {
    if (event.__typename === 'SyncRequiredEvent') {
      this.syncsRequired += 1;
      await this.sync();
      return;
    }
    if (event.__typename === 'ConversationRemovedEvent') {
      this.forget(event.conversationId!);
      return;
    }
    if (event.__typename === 'MessageHiddenEvent') {
      const conversationId = event.conversationId!;
      const hidden = this.hiddenCursors.get(conversationId);
      if (hidden === undefined || event.hiddenSeq! <= hidden) return; // one it has not seen yet comes whole with its first fill
      if (event.hiddenSeq! > hidden + 1) {
        await this.fill(conversationId, this.cursors.get(conversationId) ?? 0);
        return;
      }
      this.view.get(conversationId)?.delete(event.messageId!);
      this.hiddenCursors.set(conversationId, event.hiddenSeq!);
      return;
    }
    if (event.seq === undefined || !event.message) return;
    const conversationId = event.conversationId!;
    const cursor = this.cursors.get(conversationId) ?? 0;
    if (event.seq <= cursor) return; // covered already (by a gap fill or the sync)
    if (event.seq > cursor + 1) {
      await this.fill(conversationId, cursor);
      return;
    }
    this.put(event.message);
    this.cursors.set(conversationId, event.seq);
  }

  private async fill(conversationId: string, from: number): Promise<void> {
    this.gapFills += 1;
    let after = from;
    for (;;) {
      const hiddenAfter = this.hiddenCursors.get(conversationId) ?? null;
      const { changes } = ok(await this.server.gql<{ changes: ChangesPayload }>(CHANGES, { id: conversationId, after, hiddenAfter }, this.user.token));
      this.applyChanges(changes);
      after = changes.toSeq;
      if (!changes.hasMore) break;
    }
  }

  private async sync(): Promise<void> {
    for (;;) {
      const cursors = [...this.cursors].map(([conversationId, seq]) => ({ conversationId, seq, hiddenSeq: this.hiddenCursors.get(conversationId) ?? null }));
      const { sync } = ok(await this.server.gql<{ sync: { changes: ChangesPayload[]; removedConversationIds: string[]; hasMore: boolean } }>(
        SYNC, { cursors }, this.user.token));
      for (const change of sync.changes) this.applyChanges(change);
      for (const id of sync.removedConversationIds) this.forget(id);
      if (!sync.hasMore) break;
    }
  }

  private applyChanges(changes: ChangesPayload): void {
    const conversationId = changes.conversation.id;
    for (const message of changes.messages) this.put(message);
    for (const id of changes.hiddenMessageIds) this.view.get(conversationId)?.delete(id);
    this.cursors.set(conversationId, Math.max(this.cursors.get(conversationId) ?? 0, changes.toSeq));
    this.hiddenCursors.set(conversationId, Math.max(this.hiddenCursors.get(conversationId) ?? 0, changes.hiddenSeq));
  }

  private forget(conversationId: string): void {
    this.cursors.delete(conversationId);
    this.hiddenCursors.delete(conversationId);
    this.view.delete(conversationId);
  }

  private put(message: TestMessage): void {
    let messages = this.view.get(message.conversationId);
    if (!messages) this.view.set(message.conversationId, (messages = new Map()));
    const existing = messages.get(message.id);
    if (!existing) this.inserts.set(message.id, (this.inserts.get(message.id) ?? 0) + 1);
    if (!existing || existing.updatedSeq <= message.updatedSeq) messages.set(message.id, message);
  }
}
