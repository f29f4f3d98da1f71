/**
 * A member an admin removed keeps the group in their list, read-only, with its history up to
 * the removal (issue #15): every reader stops at the MEMBER_REMOVED message, nothing after it
 * reaches them, and every write is refused with nothing written. Deleting the chat takes it
 * away; leaving by oneself takes it away at once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { transparentPng, upload } from '../../../test/media.js';
import { connect, createGroup, MESSAGE_FIELDS, ok, send, waitUntilSubscribed, type EventStream, type TestMessage } from '../../../test/messenger.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const people = (n: number) => Promise.all(Array.from({ length: n }, () => registerUser(server)));
const uniqueWord = () => `rm${randomBytes(5).toString('hex')}`;

const REMOVE = 'mutation($id: ID!, $u: ID!) { removeMember(conversationId: $id, userId: $u) { id } }';
const VIEW = /* GraphQL */ `
  query($id: ID!, $word: String!) {
    conversation(id: $id) { seq removedAtSeq members { user { id } } unreadCount lastMessage { id event { type actor { id } } } }
    messages(conversationId: $id, limit: 100) { messages { ${MESSAGE_FIELDS} } }
    changes(conversationId: $id, afterSeq: 0) { toSeq messages { id } }
    sync { changes { conversation { id } toSeq messages { id } } }
    searchMessages(query: $word, first: 100) { nodes { id } }
    conversations(first: 100) { nodes { id } }
  }
`;
interface View {
  conversation: { seq: number; removedAtSeq: number | null; members: { user: { id: string } }[]; unreadCount: number; lastMessage: { id: string; event: { type: string; actor: { id: string } | null } | null } | null };
  messages: { messages: TestMessage[] };
  changes: { toSeq: number; messages: { id: string }[] };
  sync: { changes: { conversation: { id: string }; toSeq: number; messages: { id: string }[] }[] };
  searchMessages: { nodes: { id: string }[] };
  conversations: { nodes: { id: string }[] };
}

/** Proves the stream has delivered everything published for `user` so far: a change they hear of, made now, arrives. */
async function drained(user: TestUser, stream: EventStream): Promise<void> {
  await waitUntilSubscribed(server, user, stream);
}

/** The rows of the tables a write could touch, to show a refused one wrote nothing. */
async function snapshot(conversationId: string) {
  const db = server.db.prisma;
  return {
    conversation: await db.conversation.findUnique({ where: { id: conversationId } }),
    messages: await db.message.findMany({ where: { conversationId }, orderBy: { seq: 'asc' } }),
    memberships: await db.membership.findMany({ where: { conversationId }, orderBy: { userId: 'asc' } }),
  };
}

describe('a member removed from a group', () => {
  it('keeps it listed, read-only, with the history up to the removal and nothing after it', async () => {
    const [owner, stays, removed] = await people(3);
    const id = await createGroup(server, owner!, [stays!, removed!]);
    const word = uniqueWord();
    const before = await send(server, owner!, id, `before ${word}`);
    const mine = await send(server, removed!, id, `mine ${word}`);
    const live = await connect(server, removed!);

    ok(await server.gql(REMOVE, { id, u: removed!.id }, owner!.token));
    const removal = (await server.db.prisma.message.findFirst({ where: { conversationId: id }, orderBy: { seq: 'desc' } }))!;
    expect(removal.event).toMatchObject({ type: 'MEMBER_REMOVED', userId: removed!.id });
    // They are told of their removal, as the last thing of this group.
    const told = await live.stream.next((e) => e.__typename === 'MemberLeftEvent' && e.conversationId === id);
    expect(told).toMatchObject({ userId: removed!.id, seq: removal.seq });

    // The group goes on without them: a message, an edit of an earlier one, a rename, a new member.
    const after = await send(server, owner!, id, `after ${word}`);
    ok(await server.gql('mutation($id: ID!, $b: String!) { editMessage(messageId: $id, body: $b) { id } }', { id: before.id, b: `before ${word} edited` }, owner!.token));
    ok(await server.gql('mutation($id: ID!, $t: String!) { renameGroup(conversationId: $id, title: $t) { id } }', { id, t: 'Renamed' }, owner!.token));
    const [newcomer] = await people(1);
    ok(await server.gql('mutation($id: ID!, $u: [ID!]!) { addMembers(conversationId: $id, userIds: $u) { id } }', { id, u: [newcomer!.id] }, owner!.token));

    const view = ok(await server.gql<View>(VIEW, { id, word }, removed!.token));
    expect(view.conversations.nodes.map((c) => c.id)).toContain(id);
    expect(view.conversation).toMatchObject({ seq: removal.seq, removedAtSeq: removal.seq, members: [], lastMessage: { id: removal.id, event: { type: 'MEMBER_REMOVED', actor: { id: owner!.id } } } });
    const history = view.messages.messages;
    // `before` was edited after the removal: neither its new text nor the edit is theirs (the old text is not kept).
    expect(history.map((m) => m.id)).not.toContain(before.id);
    expect(history.map((m) => m.id)).toContain(mine.id);
    expect(history.find((m) => m.id === mine.id)).toMatchObject({ body: `mine ${word}`, edited: false });
    expect(history.at(-1)!.id).toBe(removal.id);
    expect(history.every((m) => m.seq <= removal.seq)).toBe(true);
    expect(view.changes.messages.map((m) => m.id)).not.toContain(after.id);
    expect(view.changes.toSeq).toBe(removal.seq);
    const synced = view.sync.changes.find((c) => c.conversation.id === id);
    expect(synced?.messages.map((m) => m.id) ?? []).not.toContain(after.id);
    expect(view.searchMessages.nodes.map((m) => m.id)).toEqual([mine.id]);

    // Asked again with their cursor at the removal, sync has nothing more for them: it is not stale.
    const again = ok(await server.gql<{ sync: { changes: { conversation: { id: string } }[] } }>(
      'query($c: [SyncCursorInput!]!) { sync(cursors: $c) { changes { conversation { id } } } }',
      { c: [{ conversationId: id, seq: removal.seq }] },
      removed!.token,
    ));
    expect(again.sync.changes.map((c) => c.conversation.id)).not.toContain(id);

    // Nothing after the removal reached them live.
    await drained(removed!, live.stream);
    const later = live.stream.events.filter((e) => e.conversationId === id && e.seq !== undefined && e.seq > removal.seq);
    expect(later).toEqual([]);
    live.client.dispose();

    // The others no longer list them.
    const theirs = ok(await server.gql<View>(VIEW, { id, word }, stays!.token));
    expect(theirs.conversation.members.map((m) => m.user.id)).not.toContain(removed!.id);
    expect(theirs.conversation.removedAtSeq).toBeNull();
  });

  it('keeps the group as it was when they were removed: its name, its picture, its place in their list', async () => {
    const [owner, removed] = await people(2);
    const id = await createGroup(server, owner!, [removed!]);
    ok(await server.gql('mutation($id: ID!) { renameGroup(conversationId: $id, title: "Before") { id } }', { id }, owner!.token));
    ok(await server.gql(REMOVE, { id, u: removed!.id }, owner!.token));
    const removedAt = (await server.db.prisma.message.findFirst({ where: { conversationId: id }, orderBy: { seq: 'desc' } }))!.createdAt;
    // The group goes on: a new name, a picture, messages; and the removed member talks elsewhere after that.
    ok(await server.gql('mutation($id: ID!) { renameGroup(conversationId: $id, title: "After") { id } }', { id }, owner!.token));
    const picture = await upload(server.url, owner!.token, 'avatar', await transparentPng(64, 64), 'a.png', 'image/png');
    ok(await server.gql('mutation($id: ID!, $m: ID!) { setGroupAvatar(conversationId: $id, mediaId: $m) { id } }', { id, m: picture.body.id }, owner!.token));
    await send(server, owner!, id, 'later news');
    const elsewhere = await createGroup(server, removed!, []);
    const LIST = '{ conversations(first: 100) { nodes { id title lastActivityAt avatar { small } } } }';
    type Listed = { id: string; title: string; lastActivityAt: string; avatar: { small: string } | null };

    const theirs = ok(await server.gql<{ conversations: { nodes: Listed[] } }>(LIST, {}, removed!.token)).conversations.nodes;
    expect(theirs.find((c) => c.id === id)).toEqual({ id, title: 'Before', lastActivityAt: removedAt.toISOString(), avatar: null });
    expect(theirs.map((c) => c.id).indexOf(elsewhere)).toBeLessThan(theirs.map((c) => c.id).indexOf(id));
    const single = ok(await server.gql<{ conversation: Listed }>('query($id: ID!) { conversation(id: $id) { id title lastActivityAt avatar { small } } }', { id }, removed!.token));
    expect(single.conversation.title).toBe('Before');

    // A member sees the group as it is.
    const owners = ok(await server.gql<{ conversations: { nodes: Listed[] } }>(LIST, {}, owner!.token)).conversations.nodes.find((c) => c.id === id)!;
    expect(owners.title).toBe('After');
    expect(owners.avatar?.small).toEqual(expect.any(String));
    expect(new Date(owners.lastActivityAt).getTime()).toBeGreaterThan(removedAt.getTime());
  });

  it('is refused every write with FORBIDDEN and nothing written, and cannot be managed again', async () => {
    const [owner, removed] = await people(2);
    const id = await createGroup(server, owner!, [removed!]);
    const mine = await send(server, removed!, id, 'written before the removal');
    ok(await server.gql(REMOVE, { id, u: removed!.id }, owner!.token));
    const [other] = await people(1);
    const before = await snapshot(id);

    const writes: [string, string, Record<string, unknown>][] = [
      ['send', 'mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }', { i: { conversationId: id, body: 'let me back', clientMsgId: randomUUID() } }],
      ['edit', 'mutation($m: ID!) { editMessage(messageId: $m, body: "changed") { id } }', { m: mine.id }],
      ['delete', 'mutation($m: ID!) { deleteMessage(messageId: $m) { id } }', { m: mine.id }],
      ['typing', 'mutation($id: ID!) { setTyping(conversationId: $id) }', { id }],
      ['rename', 'mutation($id: ID!) { renameGroup(conversationId: $id, title: "Mine now") { id } }', { id }],
      ['add', 'mutation($id: ID!, $u: [ID!]!) { addMembers(conversationId: $id, userIds: $u) { id } }', { id, u: [other!.id] }],
      ['delete for everyone', 'mutation($id: ID!) { deleteConversation(conversationId: $id, forEveryone: true) }', { id }],
    ];
    for (const [what, mutation, variables] of writes) {
      const answer = await server.gql(mutation, variables, removed!.token);
      expect(answer.errors?.[0]?.extensions?.code, what).toBe('FORBIDDEN');
    }
    // Removing them again: they are no member to remove.
    const again = await server.gql(REMOVE, { id, u: removed!.id }, owner!.token);
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await snapshot(id)).toEqual(before);
  });

  it('deleting the chat takes it away; the owner deleting the group takes their copy too', async () => {
    const [owner, first, second] = await people(3);
    const id = await createGroup(server, owner!, [first!, second!]);
    for (const member of [first!, second!]) ok(await server.gql(REMOVE, { id, u: member.id }, owner!.token));

    ok(await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id) }', { id }, first!.token));
    const list = ok(await server.gql<{ conversations: { nodes: { id: string }[] } }>('{ conversations(first: 100) { nodes { id } } }', {}, first!.token));
    expect(list.conversations.nodes.map((c) => c.id)).not.toContain(id);
    const gone = await server.gql(`query($id: ID!) { messages(conversationId: $id) { messages { id } } }`, { id }, first!.token);
    expect(gone.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const live = await connect(server, second!);
    ok(await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id, forEveryone: true) }', { id }, owner!.token));
    await live.stream.next((e) => e.__typename === 'ConversationRemovedEvent' && e.conversationId === id);
    live.client.dispose();
    expect(await server.db.prisma.membership.count({ where: { conversationId: id } })).toBe(0);
  });

  it('a member who leaves by themselves loses the chat at once (as in Telegram); the last one out takes the removed copies with the group', async () => {
    const [owner, leaver, removed] = await people(3);
    const id = await createGroup(server, owner!, [leaver!, removed!]);
    ok(await server.gql(REMOVE, { id, u: removed!.id }, owner!.token));
    ok(await server.gql('mutation($id: ID!) { leaveConversation(conversationId: $id) }', { id }, leaver!.token));
    expect(await server.db.prisma.membership.findUnique({ where: { conversationId_userId: { conversationId: id, userId: leaver!.id } } })).toBeNull();

    const live = await connect(server, removed!);
    ok(await server.gql('mutation($id: ID!) { leaveConversation(conversationId: $id) }', { id }, owner!.token));
    await live.stream.next((e) => e.__typename === 'ConversationRemovedEvent' && e.conversationId === id);
    live.client.dispose();
    expect(await server.db.prisma.conversation.findUnique({ where: { id } })).toBeNull();
  });
});
