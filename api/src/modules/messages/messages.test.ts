import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { connect, createDirect, createGroup, MESSAGE_FIELDS, ok, send, type TestMessage } from '../../../test/messenger.js';
import { MessageRepository } from './messages.repository.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const people = (n: number) => Promise.all(Array.from({ length: n }, () => registerUser(server)));
const EDIT = `mutation($id: ID!, $body: String!) { editMessage(messageId: $id, body: $body) { ${MESSAGE_FIELDS} editedAt } }`;
const DELETE = `mutation($id: ID!) { deleteMessage(messageId: $id) { ${MESSAGE_FIELDS} deletedAt } }`;

describe('editing and deleting', () => {
  it('an edit takes a new seq, marks the message edited and reaches the others', async () => {
    const [alice, bob] = await people(2);
    const id = await createDirect(server, alice!, bob!.id);
    const original = await send(server, alice!, id, 'helo');
    const bobLive = await connect(server, bob!);
    const edited = ok(await server.gql<{ editMessage: TestMessage & { editedAt: string } }>(EDIT, { id: original.id, body: ' hello ' }, alice!.token)).editMessage;
    expect(edited).toMatchObject({ id: original.id, seq: original.seq, updatedSeq: original.seq + 1, body: 'hello', edited: true });
    const event = await bobLive.stream.next((e) => e.__typename === 'MessageEditedEvent');
    expect(event).toMatchObject({ conversationId: id, seq: original.seq + 1, message: { id: original.id, body: 'hello' } });
    // Someone else's message, or a deleted one, cannot be edited.
    expect((await server.gql(EDIT, { id: original.id, body: 'hijack' }, bob!.token)).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('a deletion leaves a tombstone with a new seq; a group admin may delete anyone’s message, a member may not', async () => {
    const [owner, admin, member] = await people(3);
    const id = await createGroup(server, owner!, [admin!, member!]);
    ok(await server.gql('mutation($id: ID!, $u: ID!) { setMemberRole(conversationId: $id, userId: $u, role: ADMIN) { id } }', { id, u: admin!.id }, owner!.token));
    const mine = await send(server, member!, id, 'my message');
    const theirs = await send(server, owner!, id, 'owner message');
    expect((await server.gql(DELETE, { id: theirs.id }, member!.token)).errors?.[0]?.extensions.code).toBe('FORBIDDEN');

    const memberLive = await connect(server, member!);
    const tombstone = ok(await server.gql<{ deleteMessage: TestMessage }>(DELETE, { id: mine.id }, admin!.token)).deleteMessage;
    expect(tombstone).toMatchObject({ id: mine.id, body: '', deleted: true, seq: mine.seq });
    expect(tombstone.updatedSeq).toBeGreaterThan(theirs.seq);
    await memberLive.stream.next((e) => e.__typename === 'MessageDeletedEvent' && e.message?.id === mine.id);
    // Deleting twice is harmless; editing a tombstone is not allowed.
    expect(ok(await server.gql<{ deleteMessage: TestMessage }>(DELETE, { id: mine.id }, member!.token)).deleteMessage.updatedSeq).toBe(tombstone.updatedSeq);
    expect((await server.gql(EDIT, { id: mine.id, body: 'back' }, member!.token)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'messageId' }] });
  });
});

describe('the send path', () => {
  it('stores a message in one statement, in the same shape Prisma reads it back', async () => {
    const [alice, bob] = await people(2);
    const id = await createGroup(server, alice!, [bob!]);
    const reply = await send(server, bob!, id, 'first');
    const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id seq } }';
    const input = { conversationId: id, clientMsgId: 'shape-1', body: '**second**', replyToId: reply.id };
    const { queries } = await server.countQueries(() => server.gql(SEND, { input }, alice!.token));
    // membership, conversation and an earlier send by this key; the reply target; the insert with its recipients
    // (the session was read by alice's previous request and is remembered)
    expect(queries).toBe(3);

    const stored = await server.db.prisma.message.findUniqueOrThrow({ where: { senderId_clientMsgId: { senderId: alice!.id, clientMsgId: 'shape-1' } } });
    const viaService = await server.app.services.messages.send({ userId: alice!.id, sessionId: 'test' }, { conversationId: id, clientMsgId: 'shape-2', body: 'third' });
    const readBack = await server.db.prisma.message.findUniqueOrThrow({ where: { id: viaService.id } });
    expect(viaService).toEqual(readBack);
    expect(stored).toMatchObject({ seq: reply.seq + 1, updatedSeq: reply.seq + 1, replyToId: reply.id, kind: 'TEXT', body: '**second**' });
    const [conversation, membership] = await Promise.all([
      server.db.prisma.conversation.findUniqueOrThrow({ where: { id } }),
      server.db.prisma.membership.findUniqueOrThrow({ where: { conversationId_userId: { conversationId: id, userId: alice!.id } } }),
    ]);
    expect(conversation).toMatchObject({ seq: readBack.seq, lastMessageSeq: readBack.seq });
    expect(conversation.lastMessageAt!.getTime()).toBeGreaterThanOrEqual(readBack.createdAt.getTime() - 1000);
    expect(membership.lastReadSeq).toBe(readBack.seq);
  });
});

describe('history and changes', () => {
  it('pages back by seq without limit and forward after a seq', async () => {
    const [alice, bob] = await people(2);
    const id = await createDirect(server, alice!, bob!.id);
    const sent: TestMessage[] = [];
    for (let i = 0; i < 25; i++) sent.push(await send(server, i % 2 ? bob! : alice!, id, `m${i}`));
    const page = async (args: string) =>
      ok(await server.gql<{ messages: { messages: (TestMessage & { sender: { displayName: string } })[]; hasMore: boolean } }>(
        `query($id: ID!) { messages(conversationId: $id, ${args}) { messages { id seq sender { id displayName } } hasMore } }`, { id }, bob!.token)).messages;
    const { result: latest, queries } = await server.countQueries(() => page('limit: 10'));
    expect(latest.messages.map((m) => m.seq)).toEqual(sent.slice(15).map((m) => m.seq));
    // the page with the membership that bounds it and its senders (and the session, if read again)
    expect(queries).toBeLessThanOrEqual(2);
    expect(latest.messages.map((m) => m.sender.id)).toEqual(sent.slice(15).map((m) => m.sender!.id));
    expect(latest.messages.every((m) => m.sender.displayName.length > 0)).toBe(true);
    const { senders } = await new MessageRepository(server.db.prisma, server.db.sql).historyPage(alice!.id, id, { before: null, after: null, take: 2 });
    expect(senders.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      await server.db.prisma.user.findMany({ where: { id: { in: [alice!.id, bob!.id] } }, orderBy: { id: 'asc' } }),
    );
    expect(latest.hasMore).toBe(true);
    const older = await page(`limit: 10, before: ${latest.messages[0]!.seq}`);
    expect(older.messages.map((m) => m.seq)).toEqual(sent.slice(5, 15).map((m) => m.seq));
    const oldest = await page(`limit: 10, before: ${older.messages[0]!.seq}`);
    expect(oldest).toMatchObject({ messages: sent.slice(0, 5).map((m) => ({ id: m.id, seq: m.seq })), hasMore: false });
    expect(oldest.messages).toHaveLength(5);
    const newer = await page(`limit: 3, after: ${sent[20]!.seq}`);
    expect(newer.messages.map((m) => m.id)).toEqual(sent.slice(21, 24).map((m) => m.id));
  });

  it('changes after a seq gives new and changed messages in their current state and the new cursor', async () => {
    const [alice, bob] = await people(2);
    const id = await createDirect(server, alice!, bob!.id);
    const a = await send(server, alice!, id, 'a');
    const b = await send(server, bob!, id, 'b');
    ok(await server.gql(EDIT, { id: a.id, body: 'a, edited' }, alice!.token));
    const c = await send(server, alice!, id, 'c', { replyToId: b.id });
    const changes = ok(await server.gql<{ changes: { messages: TestMessage[]; fromSeq: number; toSeq: number; hasMore: boolean } }>(
      `query($id: ID!) { changes(conversationId: $id, afterSeq: ${b.seq}) { messages { ${MESSAGE_FIELDS} } fromSeq toSeq hasMore } }`, { id }, bob!.token)).changes;
    expect(changes.messages.map((m) => [m.id, m.body])).toEqual([[a.id, 'a, edited'], [c.id, 'c']]);
    expect(changes.messages[1]!.replyTo).toEqual({ id: b.id });
    expect(changes).toMatchObject({ fromSeq: b.seq, toSeq: c.seq, hasMore: false });
  });
});

describe('full-text search', () => {
  it('finds words in the viewer’s conversations only, not in hidden history, newest first, in pages', async () => {
    const [me, friend, outsider] = await people(3);
    const id = await createDirect(server, me!, friend!.id);
    const word = `zebra${Date.now()}`;
    const hidden = await send(server, friend!, id, `an old ${word} story`);
    ok(await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id) }', { id }, me!.token));
    const first = await send(server, friend!, id, `the ${word} is back`);
    const second = await send(server, me!, id, `Привет, ${word}! **bold**`);
    const elsewhere = await createDirect(server, outsider!, friend!.id);
    await send(server, outsider!, elsewhere, `not yours ${word}`);

    const search = async (user: TestUser, args: string) =>
      ok(await server.gql<{ searchMessages: { nodes: { id: string }[]; pageInfo: { endCursor: string; hasNextPage: boolean } } }>(
        `query($q: String!, $after: String) { searchMessages(query: $q, ${args}, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } }`,
        { q: word }, user.token)).searchMessages;
    const page1 = await search(me!, 'first: 1');
    expect(page1.nodes.map((n) => n.id)).toEqual([second.id]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = ok(await server.gql<{ searchMessages: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } } }>(
      'query($q: String!, $after: String) { searchMessages(query: $q, first: 5, after: $after) { nodes { id } pageInfo { hasNextPage } } }',
      { q: word, after: page1.pageInfo.endCursor }, me!.token)).searchMessages;
    expect(page2.nodes.map((n) => n.id)).toEqual([first.id]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    // The friend still sees their own old message; Russian words are found too.
    expect((await search(friend!, 'first: 10')).nodes.map((n) => n.id)).toContain(hidden.id);
    const russian = ok(await server.gql<{ searchMessages: { nodes: { id: string }[] } }>(
      `query { searchMessages(query: "привет ${word}", conversationId: "${id}") { nodes { id } } }`, {}, me!.token)).searchMessages;
    expect(russian.nodes.map((n) => n.id)).toEqual([second.id]);
  });

  it('uses the GIN index', async () => {
    // With few rows the planner may prefer a scan; forbidding it shows the index serves the query.
    const plan = await server.db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      return tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>(
        "EXPLAIN SELECT id FROM messages WHERE search @@ websearch_to_tsquery('simple', 'zebra')",
      );
    });
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('messages_search_idx');
  });
});
