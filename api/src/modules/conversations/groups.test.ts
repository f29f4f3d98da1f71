import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { connect, createDirect, createGroup, MESSAGE_FIELDS, ok, send, waitUntilSubscribed, type TestMessage } from '../../../test/messenger.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const people = (n: number) => Promise.all(Array.from({ length: n }, () => registerUser(server)));

interface GroupView {
  title: string;
  seq: number;
  myRole: string;
  visibleFromSeq: number;
  members: { role: string; user: { id: string } }[];
}
const GROUP = 'query($id: ID!) { conversation(id: $id) { title seq myRole visibleFromSeq members { role user { id } } } }';
const group = async (user: TestUser, id: string) => ok(await server.gql<{ conversation: GroupView }>(GROUP, { id }, user.token)).conversation;
const roles = (view: GroupView) => Object.fromEntries(view.members.map((m) => [m.user.id, m.role]));
const history = async (user: TestUser, id: string) =>
  ok(await server.gql<{ messages: { messages: (TestMessage & { event: { type: string } | null })[] } }>(
    `query($id: ID!) { messages(conversationId: $id, limit: 100) { messages { ${MESSAGE_FIELDS} event { type } } } }`, { id }, user.token)).messages.messages;

describe('groups', () => {
  it('creation: the creator owns it, every member hears of it, a SYSTEM message records it', async () => {
    const [owner, a, b] = await people(3);
    const aLive = await connect(server, a!);
    const id = await createGroup(server, owner!, [a!, b!], '  Hike  ');
    const joined = await aLive.stream.next((e) => e.__typename === 'MemberJoinedEvent' && e.conversationId === id);
    expect(joined).toMatchObject({ seq: 1, userIds: expect.arrayContaining([owner!.id, a!.id, b!.id]), message: { kind: 'SYSTEM', event: { type: 'GROUP_CREATED', title: 'Hike' } } });
    const view = await group(owner!, id);
    expect(view).toMatchObject({ title: 'Hike', seq: 1, myRole: 'OWNER' });
    expect(roles(view)).toEqual({ [owner!.id]: 'OWNER', [a!.id]: 'MEMBER', [b!.id]: 'MEMBER' });
  });

  it('rename takes a seq, records TITLE_CHANGED and tells everyone', async () => {
    const [owner, a] = await people(2);
    const id = await createGroup(server, owner!, [a!]);
    const aLive = await connect(server, a!);
    ok(await server.gql('mutation($id: ID!) { renameGroup(conversationId: $id, title: "New name") { id } }', { id }, owner!.token));
    const event = await aLive.stream.next((e) => e.__typename === 'ConversationUpdatedEvent' && e.conversationId === id);
    expect(event).toMatchObject({ seq: 2, message: { kind: 'SYSTEM', event: { type: 'TITLE_CHANGED', title: 'New name' } } });
    expect((await group(a!, id)).title).toBe('New name');
  });

  it('a member added later sees history from their arrival on', async () => {
    const [owner, a, late] = await people(3);
    const id = await createGroup(server, owner!, [a!]);
    await send(server, a!, id, 'before you came');
    ok(await server.gql('mutation($id: ID!, $u: [ID!]!) { addMembers(conversationId: $id, userIds: $u) { id } }', { id, u: [late!.id, a!.id] }, owner!.token));
    const after = await send(server, a!, id, 'welcome');
    const seen = await history(late!, id);
    expect(seen.map((m) => m.event?.type ?? m.body)).toEqual(['MEMBERS_ADDED', 'welcome']);
    expect(seen.at(-1)!.id).toBe(after.id);
    expect((await group(late!, id)).visibleFromSeq).toBe(seen[0]!.seq - 1);
    // Adding someone already there changes nothing.
    const seq = (await group(owner!, id)).seq;
    ok(await server.gql('mutation($id: ID!, $u: [ID!]!) { addMembers(conversationId: $id, userIds: $u) { id } }', { id, u: [late!.id] }, owner!.token));
    expect((await group(owner!, id)).seq).toBe(seq);
  });

  it('a removed member is told of their removal, then nothing more, and keeps only what they had (removal.test.ts)', async () => {
    const [owner, stays, removed] = await people(3);
    const id = await createGroup(server, owner!, [stays!, removed!]);
    const [staysLive, removedLive] = await Promise.all([connect(server, stays!), connect(server, removed!)]);
    ok(await server.gql('mutation($id: ID!, $u: ID!) { removeMember(conversationId: $id, userId: $u) { id } }', { id, u: removed!.id }, owner!.token));
    const told = await removedLive.stream.next((e) => e.__typename === 'MemberLeftEvent' && e.conversationId === id);
    const left = await staysLive.stream.next((e) => e.__typename === 'MemberLeftEvent' && e.conversationId === id);
    expect(told.seq).toBe(left.seq);
    expect(left).toMatchObject({ userId: removed!.id, message: { event: { type: 'MEMBER_REMOVED', users: [{ id: removed!.id }] } } });

    const later = await send(server, owner!, id, 'after the removal');
    await staysLive.stream.next((e) => e.message?.id === later.id);
    await waitUntilSubscribed(server, removed!, removedLive.stream);
    expect(removedLive.stream.events.filter((e) => e.conversationId === id && e.seq !== undefined && e.seq > left.seq!)).toEqual([]);
    const denied = await server.gql('mutation($i: SendMessageInput!) { sendMessage(input: $i) { id } }', { i: { conversationId: id, body: 'still here?', clientMsgId: 'removed-1' } }, removed!.token);
    expect(denied.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('roles: the owner makes an admin, and handing over OWNER makes the old owner an admin', async () => {
    const [owner, a, b] = await people(3);
    const id = await createGroup(server, owner!, [a!, b!]);
    const set = (user: TestUser, target: TestUser, role: string) =>
      server.gql('mutation($id: ID!, $u: ID!, $r: MemberRole!) { setMemberRole(conversationId: $id, userId: $u, role: $r) { id } }', { id, u: target.id, r: role }, user.token);
    ok(await set(owner!, a!, 'ADMIN'));
    expect(roles(await group(owner!, id))[a!.id]).toBe('ADMIN');
    // An admin may remove plain members but not change roles.
    expect((await set(a!, b!, 'ADMIN')).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    ok(await set(owner!, b!, 'OWNER'));
    expect(roles(await group(owner!, id))).toEqual({ [owner!.id]: 'ADMIN', [a!.id]: 'ADMIN', [b!.id]: 'OWNER' });
    expect((await history(owner!, id)).filter((m) => m.event?.type === 'ROLE_CHANGED')).toHaveLength(3);
  });

  it('an owner who leaves hands over to the oldest admin; the last one out deletes the group', async () => {
    const [owner, member, admin] = await people(3);
    const id = await createGroup(server, owner!, [member!]);
    ok(await server.gql('mutation($id: ID!, $u: [ID!]!) { addMembers(conversationId: $id, userIds: $u) { id } }', { id, u: [admin!.id] }, owner!.token));
    ok(await server.gql('mutation($id: ID!, $u: ID!) { setMemberRole(conversationId: $id, userId: $u, role: ADMIN) { id } }', { id, u: admin!.id }, owner!.token));
    const ownerLive = await connect(server, owner!);
    ok(await server.gql('mutation($id: ID!) { leaveConversation(conversationId: $id) }', { id }, owner!.token));
    await ownerLive.stream.next((e) => e.__typename === 'ConversationRemovedEvent' && e.conversationId === id);
    expect(roles(await group(member!, id))).toEqual({ [member!.id]: 'MEMBER', [admin!.id]: 'OWNER' });

    ok(await server.gql('mutation($id: ID!) { leaveConversation(conversationId: $id) }', { id }, admin!.token));
    expect(roles(await group(member!, id))).toEqual({ [member!.id]: 'OWNER' });
    ok(await server.gql('mutation($id: ID!) { leaveConversation(conversationId: $id) }', { id }, member!.token));
    expect(await server.db.prisma.conversation.findUnique({ where: { id } })).toBeNull();
  });
});

describe('deleting a conversation', () => {
  const LIST = '{ conversations(first: 50) { nodes { id unreadCount lastMessage { body } } } }';
  const listed = async (user: TestUser) =>
    ok(await server.gql<{ conversations: { nodes: { id: string; unreadCount: number; lastMessage: { body: string } | null }[] } }>(LIST, {}, user.token)).conversations.nodes;

  it('"for me" hides the history; the conversation comes back with the next message, without the old history', async () => {
    const [me, friend] = await people(2);
    const id = await createDirect(server, me!, friend!.id);
    await send(server, friend!, id, 'old news');
    ok(await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id) }', { id }, me!.token));
    expect((await listed(me!)).map((c) => c.id)).not.toContain(id);
    expect((await listed(friend!)).map((c) => c.id)).toContain(id);

    await send(server, friend!, id, 'new news');
    const back = (await listed(me!)).find((c) => c.id === id);
    expect(back).toMatchObject({ unreadCount: 1, lastMessage: { body: 'new news' } });
    expect((await history(me!, id)).map((m) => m.body)).toEqual(['new news']);
    expect((await history(friend!, id)).map((m) => m.body)).toEqual(['old news', 'new news']);
  });

  it('"for everyone" deletes a group for all members (the owner only)', async () => {
    const [owner, a] = await people(2);
    const id = await createGroup(server, owner!, [a!]);
    const aLive = await connect(server, a!);
    const refused = await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id, forEveryone: true) }', { id }, a!.token);
    expect(refused.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    ok(await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id, forEveryone: true) }', { id }, owner!.token));
    await aLive.stream.next((e) => e.__typename === 'ConversationRemovedEvent' && e.conversationId === id);
    expect(await server.db.prisma.conversation.findUnique({ where: { id } })).toBeNull();
  });
});

describe('the conversation list', () => {
  it('costs a bounded number of queries, the same bound for 3 conversations as for 25, and pages by activity', async () => {
    const [me, ...others] = await people(6);
    const make = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const id = await createGroup(server, others[i % others.length]!, [me!, others[(i + 1) % others.length]!], `g${i}`);
        await send(server, others[i % others.length]!, id, `hello ${i}`);
      }
    };
    const QUERY = '{ conversations(first: 100) { nodes { id title unreadCount muted myRole lastActivityAt lastMessage { body sender { displayName online lastSeenAt } } members { role user { username online } } otherUser { id } } pageInfo { hasNextPage endCursor } } }';
    await make(3);
    const small = await server.countQueries(() => server.gql(QUERY, {}, me!.token));
    await make(22);
    const large = await server.countQueries(() => server.gql(QUERY, {}, me!.token));
    expect(ok(large.result as { data: { conversations: { nodes: unknown[] } } }).conversations.nodes).toHaveLength(25);
    // DataLoader batches by tick, so the count may differ by a wave or two, but it never grows with the page:
    // one query per kind of row (session, page, conversations, memberships, messages, users, contacts, blocks, unread).
    expect(small.queries).toBeLessThanOrEqual(14);
    expect(large.queries).toBeLessThanOrEqual(14);

    const pages: string[] = [];
    let after: string | null = null;
    do {
      const page: { conversations: { nodes: { id: string }[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } } = ok(
        await server.gql('query($after: String) { conversations(first: 10, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } }', { after }, me!.token),
      );
      pages.push(...page.conversations.nodes.map((n) => n.id));
      after = page.conversations.pageInfo.hasNextPage ? page.conversations.pageInfo.endCursor : null;
    } while (after);
    const all = ok(await server.gql<{ conversations: { nodes: { id: string }[] } }>('{ conversations(first: 100) { nodes { id } } }', {}, me!.token));
    expect(pages).toEqual(all.conversations.nodes.map((n) => n.id));
  });
});
