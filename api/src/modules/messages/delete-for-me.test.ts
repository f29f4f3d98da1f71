/**
 * "Delete for me" of one message (issue #15): it leaves the viewer's every reader — history,
 * `changes`, `sync`, search, reply previews, the latest message, unread counts — on all of
 * their devices, live (MessageHiddenEvent) and after a reconnect (the `hiddenSeq` cursor),
 * while nobody else sees anything change. A message the viewer cannot see is refused like
 * one that does not exist, and nothing is written.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../../test/server.js';
import { login, registerUser, type TestUser } from '../../../test/factories.js';
import { connect, createDirect, createGroup, ok, send, waitUntilSubscribed, type EventStream, type TestEvent } from '../../../test/messenger.js';
import { SyncClient } from '../../../test/sync-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const people = (n: number) => Promise.all(Array.from({ length: n }, () => registerUser(server)));
/** A word no other test writes, for search. */
const uniqueWord = () => `dfm${randomBytes(5).toString('hex')}`;

const HIDE = 'mutation($id: ID!) { deleteMessageForMe(messageId: $id) }';
const hide = (user: TestUser, messageId: string) => server.gql<{ deleteMessageForMe: boolean }>(HIDE, { id: messageId }, user.token);
const EDIT = 'mutation($id: ID!, $body: String!) { editMessage(messageId: $id, body: $body) { id } }';
const DELETE = 'mutation($id: ID!) { deleteMessage(messageId: $id) { id } }';

const SHOWN = 'id isReply replyTo { id }';
const READERS = /* GraphQL */ `
  query($id: ID!, $word: String!) {
    messages(conversationId: $id, limit: 100) { messages { ${SHOWN} } }
    changes(conversationId: $id, afterSeq: 0) { messages { ${SHOWN} } }
    sync { changes { conversation { id } messages { ${SHOWN} } } }
    searchMessages(query: $word, first: 100) { nodes { id } }
    conversation(id: $id) { unreadCount hiddenSeq lastMessage { id } }
    conversations(first: 100) { nodes { id lastMessage { id } } }
  }
`;
interface Shown {
  id: string;
  isReply: boolean;
  replyTo: { id: string } | null;
}
interface Readers {
  messages: { messages: Shown[] };
  changes: { messages: Shown[] };
  sync: { changes: { conversation: { id: string }; messages: Shown[] }[] };
  searchMessages: { nodes: { id: string }[] };
  conversation: { unreadCount: number; hiddenSeq: number; lastMessage: { id: string } | null };
  conversations: { nodes: { id: string; lastMessage: { id: string } | null }[] };
}

/** What every reader gives `user` of one conversation: messages as `[id, replyTo id or "unavailable" or null]`. */
async function readers(user: TestUser, conversationId: string, word: string) {
  const seen = ok(await server.gql<Readers>(READERS, { id: conversationId, word }, user.token));
  const shown = (messages: Shown[]) => messages.map((m) => [m.id, m.replyTo?.id ?? (m.isReply ? 'unavailable' : null)]);
  return {
    history: shown(seen.messages.messages),
    changes: shown(seen.changes.messages),
    sync: shown(seen.sync.changes.find((c) => c.conversation.id === conversationId)?.messages ?? []),
    search: seen.searchMessages.nodes.map((m) => m.id).sort(),
    lastMessage: seen.conversation.lastMessage?.id ?? null,
    listed: seen.conversations.nodes.find((c) => c.id === conversationId)?.lastMessage?.id ?? null,
    unreadCount: seen.conversation.unreadCount,
    hiddenSeq: seen.conversation.hiddenSeq,
  };
}

/** Every event the stream received so far, once a change made now has arrived after them. */
async function drained(user: TestUser, stream: EventStream): Promise<TestEvent[]> {
  await waitUntilSubscribed(server, user, stream);
  return stream.events;
}

const hiddenEvent = (messageId: string) => (e: TestEvent) => e.__typename === 'MessageHiddenEvent' && e.messageId === messageId;

/** The rows "delete for me" could write, to show a refused one wrote nothing. */
async function written(conversationId: string) {
  const db = server.db.prisma;
  return {
    hidden: await db.hiddenMessage.findMany({ where: { conversationId }, orderBy: [{ userId: 'asc' }, { hiddenSeq: 'asc' }] }),
    conversation: await db.conversation.findUnique({ where: { id: conversationId } }),
    messages: await db.message.findMany({ where: { conversationId }, orderBy: { seq: 'asc' } }),
    memberships: await db.membership.findMany({ where: { conversationId }, orderBy: { userId: 'asc' } }),
  };
}

/** Events with what a reply shows of its target. */
const EVENTS_WITH_REPLY = /* GraphQL */ `
  __typename
  ... on ConversationChange { conversationId message { id isReply replyTo { id } } }
  ... on ConversationRemovedEvent { conversationId }
`;

describe('delete for me', () => {
  it('takes one message out of every reader of the viewer, and out of nobody else’s', async () => {
    const [me, friend] = await people(2);
    const id = await createDirect(server, friend!, me!.id);
    const word = uniqueWord();
    const first = await send(server, friend!, id, `first ${word}`);
    const target = await send(server, friend!, id, `target ${word}`);
    const reply = await send(server, friend!, id, `reply ${word}`, { replyToId: target.id });
    const last = await send(server, friend!, id, `last ${word}`);
    expect(await readers(me!, id, word)).toMatchObject({ lastMessage: last.id, unreadCount: 4, hiddenSeq: 0 });

    expect(ok(await hide(me!, target.id))).toEqual({ deleteMessageForMe: true });
    expect(ok(await hide(me!, last.id))).toEqual({ deleteMessageForMe: true });

    // Gone from every reader; the reply to it shows its target as unavailable, and the latest
    // message falls back to the one before.
    const shown = [[first.id, null], [reply.id, 'unavailable']];
    expect(await readers(me!, id, word)).toEqual({
      history: shown, changes: shown, sync: shown, search: [first.id, reply.id].sort(),
      lastMessage: reply.id, listed: reply.id, unreadCount: 2, hiddenSeq: 2,
    });
    // The friend deleted nothing: nothing changed for them.
    const all = [[first.id, null], [target.id, null], [reply.id, target.id], [last.id, null]];
    expect(await readers(friend!, id, word)).toEqual({
      history: all, changes: all, sync: all, search: [first.id, target.id, reply.id, last.id].sort(),
      lastMessage: last.id, listed: last.id, unreadCount: 0, hiddenSeq: 0,
    });
    // Nor did the conversation: no seq was taken.
    expect(ok(await server.gql<{ conversation: { seq: number } }>('query($id: ID!) { conversation(id: $id) { seq } }', { id }, friend!.token)).conversation.seq).toBe(last.seq);

    // A new reply to it, live: its target is unavailable to me, there for the friend.
    const [mine, theirs] = await Promise.all([connect(server, me!, EVENTS_WITH_REPLY), connect(server, friend!, EVENTS_WITH_REPLY)]);
    const late = await send(server, friend!, id, `late ${word}`, { replyToId: target.id });
    expect((await mine.stream.next((e) => e.message?.id === late.id)).message).toMatchObject({ isReply: true, replyTo: null });
    expect((await theirs.stream.next((e) => e.message?.id === late.id)).message).toMatchObject({ isReply: true, replyTo: { id: target.id } });
  });

  it('keeps a hidden message away when it changes: no event of its edit, nothing in `changes` after it', async () => {
    const [me, friend] = await people(2);
    const id = await createDirect(server, friend!, me!.id);
    const target = await send(server, friend!, id, 'to be edited');
    ok(await hide(me!, target.id));
    const mine = await connect(server, me!);
    ok(await server.gql(EDIT, { id: target.id, body: 'edited after I hid it' }, friend!.token));
    ok(await server.gql(DELETE, { id: target.id }, friend!.token));
    const after = await send(server, friend!, id, 'after the edit');
    await mine.stream.next((e) => e.message?.id === after.id);
    expect((await drained(me!, mine.stream)).filter((e) => e.message?.id === target.id)).toEqual([]);
    const { changes } = ok(await server.gql<{ changes: { messages: { id: string }[]; toSeq: number } }>(
      'query($id: ID!, $after: Int!) { changes(conversationId: $id, afterSeq: $after) { messages { id } toSeq } }', { id, after: target.seq }, me!.token));
    expect(changes).toEqual({ messages: [{ id: after.id }], toSeq: after.seq });
    // Hidden from me, it is no longer mine to edit, delete or reply to.
    const own = await send(server, me!, id, 'my own, hidden');
    ok(await hide(me!, own.id));
    expect((await server.gql(EDIT, { id: own.id, body: 'x' }, me!.token)).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect((await server.gql(DELETE, { id: own.id }, me!.token)).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    const replying = await server.gql('mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
      { input: { conversationId: id, clientMsgId: randomUUID(), body: 'about that', replyToId: own.id } }, me!.token);
    expect(replying.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'replyToId' }] });
    // The friend still holds my message as it was.
    expect(await server.db.prisma.message.findUnique({ where: { id: own.id } })).toMatchObject({ body: 'my own, hidden', deletedAt: null });
  });

  it('is idempotent: hiding twice answers true, writes one row and tells my devices once', async () => {
    const [me, friend] = await people(2);
    const id = await createDirect(server, friend!, me!.id);
    const target = await send(server, friend!, id, 'twice');
    const mine = await connect(server, me!);
    for (let i = 0; i < 2; i++) expect(ok(await hide(me!, target.id))).toEqual({ deleteMessageForMe: true });
    await Promise.all([hide(me!, target.id), hide(me!, target.id)].map(async (answer) => ok(await answer)));
    expect(await server.db.prisma.hiddenMessage.findMany({ where: { conversationId: id } })).toMatchObject([{ userId: me!.id, messageId: target.id, hiddenSeq: 1 }]);
    expect((await drained(me!, mine.stream)).filter(hiddenEvent(target.id))).toEqual([
      { __typename: 'MessageHiddenEvent', conversationId: id, messageId: target.id, hiddenSeq: 1 },
    ]);
  });
});

describe('my other devices', () => {
  it('hear of it live, and a device that was away learns it on sync, with no change in the conversation', async () => {
    const [me, friend] = await people(2);
    const id = await createDirect(server, friend!, me!.id);
    const [a, b, c] = [await send(server, friend!, id, 'a'), await send(server, friend!, id, 'b'), await send(server, me!, id, 'c')];
    const second = ok(await login(server, me!.username)).login.token;
    const other = { ...me!, token: second };

    // Live: my other session's stream, and this one's, get the event.
    const [here, there] = await Promise.all([connect(server, me!), connect(server, other)]);
    ok(await hide(me!, a.id));
    for (const { stream } of [here, there]) {
      expect(await stream.next(hiddenEvent(a.id))).toEqual({ __typename: 'MessageHiddenEvent', conversationId: id, messageId: a.id, hiddenSeq: 1 });
    }
    // The friend hears nothing of it.
    const theirs = await connect(server, friend!);
    ok(await hide(me!, b.id));
    await there.stream.next(hiddenEvent(b.id));
    expect((await drained(friend!, theirs.stream)).filter((e) => e.__typename === 'MessageHiddenEvent')).toEqual([]);

    // A device that follows the sync protocol, away while I hide my own message: on its return it
    // learns it from `sync`, though the conversation's seq did not move.
    const device = new SyncClient(server, other);
    const socket = server.socket({ token: second });
    await socket.connected;
    await device.attach(socket.client, (stream) => waitUntilSubscribed(server, other, stream));
    expect(device.messagesOf(id).map((m) => m.id)).toEqual([c.id]);
    expect(device.hiddenCursors.get(id)).toBe(2);
    device.detach();
    await socket.client.dispose();
    ok(await hide(me!, c.id));
    const back = server.socket({ token: second });
    await back.connected;
    await device.attach(back.client, (stream) => waitUntilSubscribed(server, other, stream));
    expect(device.messagesOf(id)).toEqual([]);
    expect(device.hiddenCursors.get(id)).toBe(3);
  });

  it('keep their cursor after I am removed from a group and added back: the count goes on', async () => {
    const [owner, me] = await people(2);
    const group = await createGroup(server, owner!, [me!]);
    const first = await send(server, owner!, group, 'first');
    ok(await hide(me!, first.id));
    const seq = ok(await server.gql<{ conversation: { seq: number } }>('query($id: ID!) { conversation(id: $id) { seq } }', { id: group }, me!.token)).conversation.seq;
    ok(await server.gql('mutation($id: ID!, $u: ID!) { removeMember(conversationId: $id, userId: $u) { id } }', { id: group, u: me!.id }, owner!.token));
    ok(await server.gql('mutation($id: ID!, $u: [ID!]!) { addMembers(conversationId: $id, userIds: $u) { id } }', { id: group, u: [me!.id] }, owner!.token));
    const back = await send(server, owner!, group, 'welcome back');
    const mine = await connect(server, me!);
    ok(await hide(me!, back.id));
    expect(await mine.stream.next(hiddenEvent(back.id))).toMatchObject({ hiddenSeq: 2 });
    // A device that knew of the first one learns of this one, and not of the first again.
    const { sync } = ok(await server.gql<{ sync: { changes: { conversation: { id: string; hiddenSeq: number }; hiddenMessageIds: string[]; hiddenSeq: number }[] } }>(
      'query($c: [SyncCursorInput!]!) { sync(cursors: $c) { changes { conversation { id hiddenSeq } hiddenMessageIds hiddenSeq } } }',
      { c: [{ conversationId: group, seq, hiddenSeq: 1 }] }, me!.token));
    expect(sync.changes).toEqual([{ conversation: { id: group, hiddenSeq: 2 }, hiddenMessageIds: [back.id], hiddenSeq: 2 }]);
  });

  it('are given no hidden cursor they did not ask for: without one, nothing hidden is listed and the answer’s cursor is 0', async () => {
    const [me, friend] = await people(2);
    const id = await createDirect(server, friend!, me!.id);
    const [a, b] = [await send(server, friend!, id, 'a'), await send(server, friend!, id, 'b')];
    ok(await hide(me!, a.id));
    // A client that holds `a` and follows no hidden cursor: were it told 1, it would never drop `a`.
    const CHANGES = 'query($id: ID!, $after: Int!, $hiddenAfter: Int) { changes(conversationId: $id, afterSeq: $after, hiddenAfter: $hiddenAfter) { messages { id } hiddenMessageIds hiddenSeq } }';
    const changes = (hiddenAfter: number | null) => server.countQueries(async () => ok(await server.gql<{ changes: unknown }>(CHANGES, { id, after: a.seq, hiddenAfter }, me!.token)).changes);
    const without = await changes(null);
    expect(without.result).toEqual({ messages: [{ id: b.id }], hiddenMessageIds: [], hiddenSeq: 0 });
    expect((await changes(0)).result).toEqual({ messages: [{ id: b.id }], hiddenMessageIds: [a.id], hiddenSeq: 1 });
    // Without a cursor the count is not even read: one query less than with one that is up to date.
    expect(without.queries).toBe((await changes(1)).queries - 1);

    const SYNC = 'query($c: [SyncCursorInput!]!) { sync(cursors: $c) { changes { conversation { id } messages { id } hiddenMessageIds hiddenSeq } } }';
    const sync = async (cursors: unknown[]) =>
      ok(await server.gql<{ sync: { changes: { conversation: { id: string } }[] } }>(SYNC, { c: cursors }, me!.token)).sync.changes.find((c) => c.conversation.id === id);
    expect(await sync([{ conversationId: id, seq: a.seq }])).toEqual({ conversation: { id }, messages: [{ id: b.id }], hiddenMessageIds: [], hiddenSeq: 0 });
    expect(await sync([{ conversationId: id, seq: a.seq, hiddenSeq: 0 }])).toEqual({ conversation: { id }, messages: [{ id: b.id }], hiddenMessageIds: [a.id], hiddenSeq: 1 });
    // A conversation the client has no cursor for comes whole, what is hidden left out: it holds nothing to drop.
    expect(await sync([])).toEqual({ conversation: { id }, messages: [{ id: b.id }], hiddenMessageIds: [], hiddenSeq: 1 });
  });

  it('fill a jump in the hidden cursor with `changes`', async () => {
    const [me, friend] = await people(2);
    const id = await createDirect(server, friend!, me!.id);
    const sent = [await send(server, friend!, id, 'one'), await send(server, friend!, id, 'two'), await send(server, friend!, id, 'three')];
    const device = new SyncClient(server, me!);
    const socket = server.socket({ token: me!.token });
    await socket.connected;
    await device.attach(socket.client, (stream) => waitUntilSubscribed(server, me!, stream));
    ok(await hide(me!, sent[0]!.id));
    await device.until(() => device.hiddenCursors.get(id) === 1);
    // The device misses the second (its cursor goes back, as if the event were lost); the third shows the jump.
    device.hiddenCursors.set(id, 0);
    device.view.get(id)!.set(sent[0]!.id, { ...sent[0]! });
    ok(await hide(me!, sent[1]!.id));
    await device.until(() => device.hiddenCursors.get(id) === 2);
    expect(device.gapFills).toBeGreaterThanOrEqual(1);
    expect(device.messagesOf(id).map((m) => m.id)).toEqual([sent[2]!.id]);
  });
});

describe('refused like a message that does not exist, and nothing written', () => {
  const refusal = (result: GraphQLResponse) => ({ code: result.errors?.[0]?.extensions.code, message: result.errors?.[0]?.message, data: result.data });

  it('a stranger’s, a missing and a malformed id; from before I joined; after my removal; after I left; from a chat I deleted', async () => {
    const [owner, me, friend, stranger] = await people(4);
    const direct = await createDirect(server, owner!, friend!.id);
    const private_ = await send(server, owner!, direct, 'between the two of them');
    const group = await createGroup(server, owner!, [friend!]);
    const before = await send(server, owner!, group, 'before you came');
    ok(await server.gql('mutation($id: ID!, $u: [ID!]!) { addMembers(conversationId: $id, userIds: $u) { id } }', { id: group, u: [me!.id] }, owner!.token));
    const expected = refusal(await hide(me!, randomUUID()));
    expect(expected).toMatchObject({ code: 'NOT_FOUND' });

    const snapshot = async () => [await written(direct), await written(group)];
    const untouched = await snapshot();
    for (const [user, id] of [[stranger!, private_.id], [me!, private_.id], [me!, before.id], [me!, 'not-an-id'], [me!, '']] as const) {
      expect(refusal(await hide(user, id)), `${user.username} hiding ${id}`).toEqual(expected);
    }
    expect(await snapshot()).toEqual(untouched);

    // Removed: what came after is not theirs (NOT_FOUND), what they kept is read-only (FORBIDDEN, as every write).
    const kept = await send(server, owner!, group, 'you still have this');
    ok(await server.gql('mutation($id: ID!, $u: ID!) { removeMember(conversationId: $id, userId: $u) { id } }', { id: group, u: me!.id }, owner!.token));
    const afterRemoval = await send(server, owner!, group, 'after you went');
    const removedState = await written(group);
    expect(refusal(await hide(me!, afterRemoval.id))).toEqual(expected);
    expect(refusal(await hide(me!, kept.id))).toMatchObject({ code: 'FORBIDDEN', message: 'You were removed from this group.' });
    expect(await written(group)).toEqual(removedState);

    // Left, or the chat deleted for me: those messages are out of reach.
    ok(await server.gql('mutation($id: ID!) { leaveConversation(conversationId: $id) }', { id: group }, friend!.token));
    const theirDirect = await createDirect(server, owner!, me!.id);
    const old = await send(server, owner!, theirDirect, 'old news');
    ok(await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id) }', { id: theirDirect }, me!.token));
    const state = [await written(group), await written(theirDirect)];
    expect(refusal(await hide(friend!, kept.id))).toEqual(expected);
    expect(refusal(await hide(me!, old.id))).toEqual(expected);
    expect([await written(group), await written(theirDirect)]).toEqual(state);
  });
});
