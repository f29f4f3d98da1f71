import { describe, expect, it } from 'vitest';
import { ApolloClient, ApolloLink } from '@apollo/client/core';
import { MessagesQuery, type ChangesData, type ConversationData, type EventData, type MessageData, type ProfileData } from '../graphql/messenger';
import { createCache } from '../plugins/apollo';
import { apolloStore } from './apolloStore';
import { SyncEngine, type SyncStore, type SyncTransport } from './engine';
import { writeMessages } from './history';

const message = (conversationId: string, seq: number, sender = 'them'): MessageData => ({
  id: `${conversationId}-${seq}`,
  conversationId,
  seq,
  updatedSeq: seq,
  kind: 'TEXT',
  body: `m${seq}`,
  edited: false,
  deleted: false,
  clientMsgId: null,
  createdAt: new Date(0).toISOString(),
  sender: { id: sender, displayName: sender, username: sender },
  replyTo: null,
  isReply: false,
  event: null,
  attachments: [],
  sticker: null,
});
const conversation = (id: string, seq: number, hiddenSeq = 0) => ({ id, seq, hiddenSeq }) as ConversationData;
const added = (conversationId: string, seq: number): EventData => ({ __typename: 'MessageAddedEvent', conversationId, seq, message: message(conversationId, seq) });

/**
 * A server holding each conversation's messages, and the ids of those the viewer deleted for
 * themselves (in the order deleted); answers `changes` and `sync` as the API does.
 */
function fakeServer(history: Record<string, number>, hidden: Record<string, string[]> = {}) {
  const calls: string[] = [];
  const hiddenIn = (id: string) => hidden[id] ?? [];
  const changes = (id: string, after: number, hiddenAfter: number | null): ChangesData => {
    const top = history[id] ?? 0;
    const messages = [];
    for (let seq = after + 1; seq <= top; seq++) if (!hiddenIn(id).includes(`${id}-${seq}`)) messages.push(message(id, seq));
    const hiddenSeq = hiddenIn(id).length;
    return {
      conversation: conversation(id, top, hiddenSeq), messages, toSeq: Math.max(after, top),
      hiddenMessageIds: hiddenAfter === null ? [] : hiddenIn(id).slice(hiddenAfter), hiddenSeq, hasMore: false,
    };
  };
  const transport: SyncTransport = {
    async changes(id, after, hiddenAfter) {
      calls.push(`changes ${id} ${after}${hiddenAfter === null ? '' : ` hidden ${hiddenAfter}`}`);
      return changes(id, after, hiddenAfter);
    },
    async sync(cursors) {
      calls.push(`sync ${cursors.map((c) => `${c.conversationId}:${c.seq}${c.hiddenSeq === null ? '' : `/${c.hiddenSeq}`}`).join(',')}`);
      const known = new Map(cursors.map((c) => [c.conversationId, c]));
      const behind = (id: string) => {
        const cursor = known.get(id);
        return !cursor || cursor.seq < history[id]! || (cursor.hiddenSeq !== null && cursor.hiddenSeq < hiddenIn(id).length);
      };
      const result = Object.keys(history).filter(behind).map((id) => changes(id, known.get(id)?.seq ?? 0, known.get(id)?.hiddenSeq ?? null));
      return { changes: result, removedConversationIds: [...known.keys()].filter((id) => !(id in history)), hasMore: false };
    },
    async conversation(id) {
      return conversation(id, history[id] ?? 0, hiddenIn(id).length);
    },
  };
  return { transport, calls, history, hidden };
}

function recordingStore() {
  const view = new Map<string, Map<string, MessageData>>();
  const removed: string[] = [];
  const profiles: ProfileData[] = [];
  const store: SyncStore = {
    putConversation: () => {},
    putMessages(id, messages) {
      if (!view.has(id)) view.set(id, new Map());
      for (const m of messages) view.get(id)!.set(m.id, m);
    },
    messageAdded: () => {},
    removeConversation: (id) => void removed.push(id),
    hideMessages(id, messageIds) {
      for (const messageId of messageIds) view.get(id)?.delete(messageId);
    },
    readReceipt: () => {},
    presence: () => {},
    profile: (user) => void profiles.push(user),
    typing: () => {},
  };
  return { store, view, removed, profiles, seqs: (id: string) => [...(view.get(id)?.values() ?? [])].map((m) => m.seq).sort((a, b) => a - b) };
}

describe('SyncEngine', () => {
  it('applies the next event, ignores what it has, and fills a gap with changes', async () => {
    const server = fakeServer({ c: 5 });
    const store = recordingStore();
    const engine = new SyncEngine(server.transport, store.store, 'me');
    engine.seed([conversation('c', 1)]);
    await engine.handle(added('c', 2));
    await engine.handle(added('c', 2));
    await engine.handle(added('c', 1));
    expect(server.calls).toEqual([]);
    await engine.handle(added('c', 5));
    expect(server.calls).toEqual(['changes c 2 hidden 0']);
    expect(store.seqs('c')).toEqual([2, 3, 4, 5]);
    expect(engine.cursors.get('c')).toBe(5);
    // A late event from inside the filled gap changes nothing.
    await engine.handle(added('c', 4));
    expect(server.calls).toHaveLength(1);
  });

  it('takes a conversation it has never seen from just before the event', async () => {
    const server = fakeServer({ fresh: 3 });
    const store = recordingStore();
    const engine = new SyncEngine(server.transport, store.store, 'me');
    await engine.handle(added('fresh', 3));
    expect(server.calls).toEqual(['changes fresh 2']);
    expect(engine.cursors.get('fresh')).toBe(3);
  });

  it('after a reconnect, syncs from the cursors, learns new conversations and forgets removed ones', async () => {
    const server = fakeServer({ a: 4, b: 2 });
    const store = recordingStore();
    const engine = new SyncEngine(server.transport, store.store, 'me');
    engine.seed([conversation('a', 1), conversation('gone', 7)]);
    await engine.resync();
    expect(server.calls).toEqual(['sync a:1/0,gone:7/0']);
    expect(store.seqs('a')).toEqual([2, 3, 4]);
    expect(store.seqs('b')).toEqual([1, 2]);
    expect(store.removed).toEqual(['gone']);
    expect([...engine.cursors]).toEqual([['a', 4], ['b', 2]]);
  });

  it('never moves a cursor it has when a list is seeded again, back or forward', async () => {
    const server = fakeServer({ c: 5 });
    const store = recordingStore();
    const engine = new SyncEngine(server.transport, store.store, 'me');
    engine.seed([conversation('c', 3)]);
    engine.seed([conversation('c', 1)]);
    expect(engine.cursors.get('c')).toBe(3);
    // A list fetched after an edit took seq 4 must not swallow the edit's event.
    engine.seed([conversation('c', 4)]);
    expect(engine.cursors.get('c')).toBe(3);
    await engine.handle({ __typename: 'MessageEditedEvent', conversationId: 'c', seq: 4, message: { ...message('c', 2), updatedSeq: 4, body: 'edited' } });
    expect(store.view.get('c')?.get('c-2')?.body).toBe('edited');
  });

  it('keeps a removed conversation out until a change brings it back, whatever arrives late', async () => {
    const server = fakeServer({ c: 1 });
    const store = recordingStore();
    const put: string[] = [];
    store.store.putConversation = (c) => void put.push(c.id);
    const engine = new SyncEngine(server.transport, store.store, 'me');
    engine.seed([conversation('c', 1)]);
    // Deleted for me: the read that preceded it is published after the removal.
    await engine.handle({ __typename: 'ConversationRemovedEvent', conversationId: 'c' });
    await engine.handle({ __typename: 'ReadReceiptEvent', conversationId: 'c', userId: 'me', lastReadSeq: 1 });
    expect(store.removed).toEqual(['c']);
    expect(put).toEqual([]);
    // The other side writes again: the chat is back, and read receipts refresh it again.
    server.history.c = 2;
    await engine.handle(added('c', 2));
    expect(put).toEqual(['c']);
    await engine.handle({ __typename: 'ReadReceiptEvent', conversationId: 'c', userId: 'me', lastReadSeq: 2 });
    expect(put).toEqual(['c', 'c']);
  });

  it('drops a message deleted for the viewer by its own cursor: once, a late event ignored, a jump filled with changes', async () => {
    const server = fakeServer({ c: 4 });
    const store = recordingStore();
    const engine = new SyncEngine(server.transport, store.store, 'me');
    engine.seed([conversation('c', 0)]);
    await engine.resync();
    expect(store.seqs('c')).toEqual([1, 2, 3, 4]);
    const hiddenEvent = (seq: number, hiddenSeq: number): EventData => ({ __typename: 'MessageHiddenEvent', conversationId: 'c', messageId: `c-${seq}`, hiddenSeq });
    // On another device: the first is deleted for me. It takes no seq; the preview is read again.
    server.hidden.c = ['c-2'];
    server.calls.length = 0;
    await engine.handle(hiddenEvent(2, 1));
    await engine.handle(hiddenEvent(2, 1));
    expect(store.seqs('c')).toEqual([1, 3, 4]);
    expect(engine.hiddenCursors.get('c')).toBe(1);
    expect(engine.cursors.get('c')).toBe(4);
    expect(server.calls).toEqual([]);
    // Two more, the first of them missed: the second's count shows the jump.
    server.hidden.c = ['c-2', 'c-4', 'c-1'];
    await engine.handle(hiddenEvent(1, 3));
    expect(server.calls).toEqual(['changes c 4 hidden 1']);
    expect(store.seqs('c')).toEqual([3]);
    expect(engine.hiddenCursors.get('c')).toBe(3);
  });

  it('after a reconnect, learns of messages deleted for the viewer while away, though no seq moved', async () => {
    const server = fakeServer({ c: 3 }, { c: ['c-1'] });
    const store = recordingStore();
    const engine = new SyncEngine(server.transport, store.store, 'me');
    // The list as loaded: the first one was already gone from it.
    engine.seed([conversation('c', 3, 1)]);
    store.store.putMessages('c', [message('c', 2), message('c', 3)], 'changes');
    server.hidden.c = ['c-1', 'c-3'];
    await engine.resync();
    expect(server.calls).toEqual(['sync c:3/1']);
    expect(store.seqs('c')).toEqual([2]);
    expect([...engine.hiddenCursors]).toEqual([['c', 2]]);
    // A list loaded later neither moves the cursor back nor forward.
    engine.seed([conversation('c', 3, 0)]);
    engine.seed([conversation('c', 3, 5)]);
    expect(engine.hiddenCursors.get('c')).toBe(2);
  });

  it('hands every message deleted for the viewer to the store, even in a conversation it holds no cursor for yet or already counted', async () => {
    const server = fakeServer({ c: 2 }, { c: ['c-1'] });
    const store = recordingStore();
    const told: string[] = [];
    store.store.hideMessages = (_, ids) => void told.push(...ids);
    const engine = new SyncEngine(server.transport, store.store, 'me');
    // The list is not loaded yet, but the open conversation's first page may be on its way.
    await engine.handle({ __typename: 'MessageHiddenEvent', conversationId: 'c', messageId: 'c-1', hiddenSeq: 1 });
    expect(told).toEqual(['c-1']);
    expect(engine.hiddenCursors.has('c')).toBe(false);
    // Counted already (it came with the list): told again, which changes nothing; the cursor stays.
    engine.seed([conversation('c', 2, 1)]);
    await engine.handle({ __typename: 'MessageHiddenEvent', conversationId: 'c', messageId: 'c-1', hiddenSeq: 1 });
    expect(told).toEqual(['c-1', 'c-1']);
    expect(engine.hiddenCursors.get('c')).toBe(1);
    expect(server.calls).toEqual([]);
  });

  describe('with the app\'s store: a message deleted for the viewer never comes back', () => {
    const typed = (m: MessageData) => ({ ...m, __typename: 'Message' }) as MessageData;
    function appStore() {
      const client = new ApolloClient({ cache: createCache(), link: ApolloLink.empty() });
      // The conversation itself is not what these look at.
      const store: SyncStore = { ...apolloStore(client, () => 'me', () => {}), putConversation: () => {}, messageAdded: () => {} };
      const page = (...seqs: number[]) => writeMessages(client.cache, 'c', { source: 'page', messages: seqs.map((seq) => typed(message('c', seq))), hasMore: false });
      const shown = () => client.cache.readQuery({ query: MessagesQuery, variables: { conversationId: 'c' } })?.messages.messages.map((m) => m.seq);
      return { client, store, page, shown };
    }

    it('with an edit event computed before the hide, arriving after it', async () => {
      const server = fakeServer({ c: 3 });
      const app = appStore();
      const engine = new SyncEngine(server.transport, app.store, 'me');
      engine.seed([conversation('c', 3)]);
      app.page(1, 2, 3);
      await engine.handle({ __typename: 'MessageHiddenEvent', conversationId: 'c', messageId: 'c-2', hiddenSeq: 1 });
      expect(app.shown()).toEqual([1, 3]);
      // With Redis, the edit's event and the hide's travel on different channels: no order between them.
      await engine.handle({ __typename: 'MessageEditedEvent', conversationId: 'c', seq: 4, message: typed({ ...message('c', 2), updatedSeq: 4, body: 'edited' }) });
      expect(engine.cursors.get('c')).toBe(4);
      expect(app.shown()).toEqual([1, 3]);
    });

    it('with a gap fill asked for before the hide here, answered after it', async () => {
      const server = fakeServer({ c: 4 });
      const app = appStore();
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      const computed = await server.transport.changes('c', 2, 0);
      const stale = { ...computed, messages: computed.messages.map(typed) };
      server.transport.changes = async () => (await answered, stale);
      const engine = new SyncEngine(server.transport, app.store, 'me');
      engine.seed([conversation('c', 2)]);
      app.page(1, 2);
      const filling = engine.handle(added('c', 4));
      // Meanwhile, "Delete for me" here: its answer hides seq 3, which the fill carries.
      writeMessages(app.client.cache, 'c', { source: 'hidden', messageIds: ['c-3'] });
      answer();
      await filling;
      expect(app.shown()).toEqual([1, 2, 4]);
    });

    it('with the open conversation\'s first page, when the hide came before the list', async () => {
      const server = fakeServer({ c: 2 });
      const app = appStore();
      const engine = new SyncEngine(server.transport, app.store, 'me');
      await engine.handle({ __typename: 'MessageHiddenEvent', conversationId: 'c', messageId: 'c-1', hiddenSeq: 1 });
      app.page(1, 2);
      expect(app.shown()).toEqual([2]);
    });
  });

  it('hands a changed profile to the store, in its turn, asking the server nothing and moving no cursor', async () => {
    const server = fakeServer({ c: 1 });
    const store = recordingStore();
    const engine = new SyncEngine(server.transport, store.store, 'me');
    engine.seed([conversation('c', 1)]);
    const user: ProfileData = { id: 'them', username: 'them', displayName: 'Them, renamed', avatar: { id: 'pic', small: '/s', large: '/l', placeholder: null } };
    await engine.handle({ __typename: 'ProfileChangedEvent', user });
    expect(store.profiles).toEqual([user]);
    expect(server.calls).toEqual([]);
    expect([...engine.cursors]).toEqual([['c', 1]]);
  });

  it('answers SyncRequiredEvent with one sync of every conversation, quiet ones included, after what was queued before it', async () => {
    const server = fakeServer({ busy: 3, quiet: 2 });
    const store = recordingStore();
    const engine = new SyncEngine(server.transport, store.store, 'me');
    engine.seed([conversation('busy', 2), conversation('quiet', 1)]);
    // Missed while the server's link was down: a message in each, and a conversation never seen.
    server.history.fresh = 1;
    void engine.handle(added('busy', 3));
    await engine.handle({ __typename: 'SyncRequiredEvent', reason: 'EVENTS_INTERRUPTED' });
    expect(server.calls).toEqual(['sync busy:3/0,quiet:1/0']);
    expect(store.seqs('quiet')).toEqual([2]);
    expect(store.seqs('fresh')).toEqual([1]);
    expect([...engine.cursors]).toEqual([['busy', 3], ['quiet', 2], ['fresh', 1]]);
    // Live events go on from the synced cursors: no gap fill, nothing twice.
    await engine.handle(added('quiet', 2));
    expect(server.calls).toHaveLength(1);
  });
});
