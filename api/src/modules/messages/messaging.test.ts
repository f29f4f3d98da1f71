import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, wsQuery, type TestServer } from '../../../test/server.js';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { connect, createDirect, createGroup, MESSAGE_FIELDS, ok, send, SEND, type TestMessage } from '../../../test/messenger.js';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
});
afterAll(() => server.close());

describe('a direct conversation', () => {
  it('delivers a message in real time with its seq, and both sides read it in history', async () => {
    const conversationId = await createDirect(server, alice, bob.id);
    const bobLive = await connect(server, bob);
    const sent = await send(server, alice, conversationId, 'Hello **Bob**');
    expect(sent).toMatchObject({ seq: 1, updatedSeq: 1, body: 'Hello **Bob**', kind: 'TEXT', sender: { id: alice.id }, edited: false, deleted: false });

    const event = await bobLive.stream.next((e) => e.__typename === 'MessageAddedEvent' && e.conversationId === conversationId);
    expect(event).toMatchObject({ seq: 1, message: { id: sent.id, body: 'Hello **Bob**', clientMsgId: null } });

    const history = ok(await server.gql<{ messages: { messages: TestMessage[]; hasMore: boolean } }>(
      `query($id: ID!) { messages(conversationId: $id) { messages { ${MESSAGE_FIELDS} } hasMore } }`, { id: conversationId }, bob.token));
    expect(history.messages.messages.map((m) => m.id)).toEqual([sent.id]);
    expect(history.messages.hasMore).toBe(false);
  });

  it('lists conversations by activity with title, preview and unread count, and markRead moves them', async () => {
    const carol = await registerUser(server);
    const first = await createDirect(server, carol, alice.id);
    const second = await createDirect(server, carol, bob.id);
    await send(server, alice, first, 'one');
    await send(server, alice, first, 'two');
    const latest = await send(server, bob, second, 'latest');
    const list = ok(await server.gql<{ conversations: { nodes: { id: string; title: string; unreadCount: number; lastMessage: { body: string } }[] } }>(
      '{ conversations(first: 10) { nodes { id title unreadCount lastMessage { body } } } }', {}, carol.token));
    expect(list.conversations.nodes.map((c) => c.id)).toEqual([second, first]);
    expect(list.conversations.nodes[0]).toMatchObject({ unreadCount: 1, lastMessage: { body: 'latest' } });
    expect(list.conversations.nodes[1]).toMatchObject({ unreadCount: 2, lastMessage: { body: 'two' } });

    const read = ok(await server.gql<{ markRead: { unreadCount: number; lastReadSeq: number } }>(
      'mutation($id: ID!, $seq: Int!) { markRead(conversationId: $id, seq: $seq) { unreadCount lastReadSeq } }', { id: second, seq: latest.seq }, carol.token));
    expect(read.markRead).toEqual({ unreadCount: 0, lastReadSeq: latest.seq });
    // Never backwards.
    const back = ok(await server.gql<{ markRead: { lastReadSeq: number } }>(
      'mutation($id: ID!) { markRead(conversationId: $id, seq: 0) { lastReadSeq } }', { id: second }, carol.token));
    expect(back.markRead.lastReadSeq).toBe(latest.seq);
  });

  it('takes a message over the socket as over HTTP: acknowledged, delivered, idempotent, for members only', async () => {
    const carol = await registerUser(server);
    const group = await createGroup(server, alice, [bob]);
    const [aliceLive, bobLive, carolLive] = await Promise.all([connect(server, alice), connect(server, bob), connect(server, carol)]);
    const input = { conversationId: group, body: 'over the socket', clientMsgId: 'ws-1' };
    const sent = ok(await wsQuery<{ sendMessage: TestMessage }>(aliceLive.client, SEND, { input })).sendMessage;
    expect(sent).toMatchObject({ body: 'over the socket', clientMsgId: 'ws-1', sender: { id: alice.id } });
    const event = await bobLive.stream.next((e) => e.__typename === 'MessageAddedEvent' && e.message?.id === sent.id);
    expect(event).toMatchObject({ seq: sent.seq, message: { clientMsgId: null } });
    // the same key again, over HTTP this time: the first result, nothing stored twice
    expect((await send(server, alice, group, 'over the socket', { clientMsgId: 'ws-1' })).id).toBe(sent.id);
    expect(await server.db.prisma.message.count({ where: { conversationId: group, kind: 'TEXT' } })).toBe(1);
    // a stranger's socket is no way in
    const refused = await wsQuery(carolLive.client, SEND, { input: { ...input, clientMsgId: 'ws-2', body: 'let me in' } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await server.db.prisma.message.count({ where: { conversationId: group, kind: 'TEXT' } })).toBe(1);
  });

  it('is the same conversation whoever starts it', async () => {
    const a = await createDirect(server, alice, bob.id);
    const b = await createDirect(server, bob, alice.id);
    expect(a).toBe(b);
  });
});
