/**
 * The example client's sync rules (examples/client/src/timeline.ts) with its I/O replaced:
 * what each event, gap and SyncRequiredEvent makes it read, and what it reports. The same
 * client against a real server: example-client.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../examples/client/src/http.js';
import type { ConversationChanges, Event, Message, SyncResult } from '../../examples/client/src/operations.js';
import { Timeline, type SyncTransport } from '../../examples/client/src/timeline.js';

const C = 'c1';

function message(seq: number, updatedSeq = seq, conversationId = C): Message {
  return { id: `m${seq}`, conversationId, seq, updatedSeq, kind: 'TEXT', body: `text ${seq}@${updatedSeq}`, edited: updatedSeq > seq, deleted: false, clientMsgId: null, createdAt: '2026-01-01T00:00:00.000Z', sender: null };
}

function added(seq: number, conversationId = C): Event {
  return { __typename: 'MessageAddedEvent', conversationId, seq, message: message(seq, seq, conversationId) };
}

/**
 * A server holding `history` per conversation, and the ids of the messages the user deleted for
 * themselves (`hidden`, in that order), answering `changes` in pages of `page` and `sync` from them.
 */
function fakeServer(history: Record<string, Message[]>, page = 100, hidden: Record<string, string[]> = {}) {
  const reads: string[] = [];
  const changesAfter = (conversationId: string, afterSeq: number, hiddenAfter: number | null): ConversationChanges => {
    const hiddenHere = hidden[conversationId] ?? [];
    const all = (history[conversationId] ?? []).filter((m) => m.updatedSeq > afterSeq && !hiddenHere.includes(m.id)).sort((a, b) => a.updatedSeq - b.updatedSeq);
    const messages = all.slice(0, page);
    const top = Math.max(afterSeq, ...(history[conversationId] ?? []).map((m) => m.updatedSeq));
    return {
      messages, toSeq: all.length > page ? messages.at(-1)!.updatedSeq : top,
      hiddenMessageIds: hiddenAfter === null ? [] : hiddenHere.slice(hiddenAfter), hiddenSeq: hiddenHere.length, hasMore: all.length > page,
    };
  };
  const transport: SyncTransport = {
    async changes(conversationId, afterSeq, hiddenAfter) {
      reads.push(`changes ${conversationId} ${afterSeq}${hiddenAfter === null ? '' : ` hidden ${hiddenAfter}`}`);
      if (!history[conversationId]) throw new ApiError('NOT_FOUND', 'Conversation was not found.');
      return changesAfter(conversationId, afterSeq, hiddenAfter);
    },
    async sync(cursors): Promise<SyncResult> {
      reads.push(`sync ${cursors.map((c) => `${c.conversationId}:${c.seq}`).join(',')}`);
      const known = new Map(cursors.map((c) => [c.conversationId, c]));
      const changes = Object.keys(history)
        .map((id) => ({ ...changesAfter(id, known.get(id)?.seq ?? 0, known.get(id)?.hiddenSeq ?? null), conversation: { id, title: id } }))
        .filter((change) => change.messages.length > 0 || change.hiddenMessageIds.length > 0 || !known.has(change.conversation.id));
      return { changes, removedConversationIds: [...known.keys()].filter((id) => !history[id]), hasMore: changes.some((c) => c.hasMore) };
    },
  };
  return { transport, reads };
}

function recorder() {
  const log: string[] = [];
  return {
    log,
    listener: {
      added: (m: Message) => log.push(`added ${m.conversationId}/${m.seq}`),
      updated: (m: Message) => log.push(`updated ${m.conversationId}/${m.seq}@${m.updatedSeq}`),
      removed: (id: string) => log.push(`removed ${id}`),
      hidden: (id: string, messageId: string) => log.push(`hidden ${id}/${messageId}`),
      failed: (error: Error) => log.push(`failed ${error.message}`),
    },
  };
}

describe("the example client's timeline", () => {
  it('applies the next seq, skips what it has, and fills a gap with changes, page by page, in seq order', async () => {
    const server = fakeServer({ [C]: [1, 2, 3, 4, 5, 6].map((seq) => message(seq)) }, 2);
    const { log, listener } = recorder();
    const timeline = new Timeline(server.transport, listener);
    await timeline.handle(added(1));
    await timeline.handle(added(1));
    await timeline.handle(added(6));
    await timeline.handle(added(4));
    // (the first fill brings the hidden cursor too: nothing hidden)
    expect(server.reads).toEqual([`changes ${C} 1`, `changes ${C} 3 hidden 0`, `changes ${C} 5 hidden 0`]);
    expect(log).toEqual([1, 2, 3, 4, 5, 6].map((seq) => `added ${C}/${seq}`));
    expect(timeline.cursor(C)).toBe(6);
  });

  it('catches up with sync after a reconnect, and again on SyncRequiredEvent, from its cursors', async () => {
    const history = { [C]: [message(1), message(2)], c2: [message(1, 1, 'c2')] };
    const server = fakeServer(history);
    const { log, listener } = recorder();
    const timeline = new Timeline(server.transport, listener);
    await timeline.catchUp();
    history[C].push(message(3));
    history[C][0] = message(1, 4); // edited since
    await timeline.handle({ __typename: 'SyncRequiredEvent', reason: 'EVENTS_INTERRUPTED' });
    expect(server.reads).toEqual(['sync ', `sync ${C}:2,c2:1`]);
    expect(log).toEqual([`added ${C}/1`, `added ${C}/2`, 'added c2/1', `updated ${C}/1@4`, `added ${C}/3`]);
    expect(timeline.cursor(C)).toBe(4);
  });

  it('forgets a conversation that is gone: removed by an event, by sync, or found gone when filling a gap', async () => {
    const history: Record<string, Message[]> = { [C]: [message(1)], c2: [message(1, 1, 'c2')], c3: [message(1, 1, 'c3')] };
    const server = fakeServer(history);
    const { log, listener } = recorder();
    const timeline = new Timeline(server.transport, listener);
    await timeline.catchUp();
    delete history[C];
    await timeline.handle({ __typename: 'ConversationRemovedEvent', conversationId: C });
    delete history.c2;
    await timeline.catchUp();
    delete history.c3;
    await timeline.handle(added(5, 'c3'));
    expect(log.filter((line) => line.startsWith('removed'))).toEqual([`removed ${C}`, 'removed c2', 'removed c3']);
    expect([C, 'c2', 'c3'].map((id) => timeline.cursor(id))).toEqual([undefined, undefined, undefined]);
  });

  it('drops a message deleted for the user by its hidden cursor: live, a jump filled with changes, and by sync', async () => {
    const hidden: Record<string, string[]> = {};
    const server = fakeServer({ [C]: [1, 2, 3, 4].map((seq) => message(seq)) }, 100, hidden);
    const { log, listener } = recorder();
    const timeline = new Timeline(server.transport, listener);
    await timeline.catchUp();
    const hiddenEvent = (seq: number, hiddenSeq: number): Event => ({ __typename: 'MessageHiddenEvent', conversationId: C, messageId: `m${seq}`, hiddenSeq });
    hidden[C] = ['m1'];
    await timeline.handle(hiddenEvent(1, 1));
    await timeline.handle(hiddenEvent(1, 1));
    // The second is missed: the third's count shows the jump.
    hidden[C] = ['m1', 'm2', 'm3'];
    await timeline.handle(hiddenEvent(3, 3));
    // Deleted while away: only the hidden cursor is behind.
    hidden[C] = ['m1', 'm2', 'm3', 'm4'];
    await timeline.catchUp();
    expect(server.reads).toEqual(['sync ', `changes ${C} 4 hidden 1`, `sync ${C}:4`]);
    expect(log.filter((line) => line.startsWith('hidden'))).toEqual([`hidden ${C}/m1`, `hidden ${C}/m2`, `hidden ${C}/m3`, `hidden ${C}/m4`]);
  });

  it('reports a failure that retrying could not mend, and goes on with the next event', async () => {
    const { log, listener } = recorder();
    const timeline = new Timeline(
      {
        sync: () => Promise.reject(new ApiError('UNAUTHENTICATED', 'You need to sign in.')),
        changes: () => Promise.reject(new Error('not called')),
      },
      listener,
    );
    await timeline.catchUp();
    await timeline.handle(added(1));
    expect(log).toEqual(['failed You need to sign in.', `added ${C}/1`]);
  });
});
