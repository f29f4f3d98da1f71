/**
 * PostgreSQL reads a uuid in capitals as the same uuid, and core/ids.ts lets such an id
 * through: whatever the spelling, an id must name the same thing, refusals of oneself must
 * hold, and what the API hands on (events, retries) must spell ids as it gave them out.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../../test/server.js';
import { registerUser } from '../../../test/factories.js';
import { connect, createGroup, ok, SEND, send, type TestMessage } from '../../../test/messenger.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const people = (n: number) => Promise.all(Array.from({ length: n }, () => registerUser(server)));
const refusedAsSelf = (result: GraphQLResponse) =>
  expect(result.errors?.[0]?.extensions, JSON.stringify(result)).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'userId', constraint: 'notSelf' }] });

describe('one\'s own id in capitals is still oneself', () => {
  it('an owner can neither remove nor demote themselves with it, nor be added to their group again', async () => {
    const [owner, friend] = await people(2);
    const id = await createGroup(server, owner!, [friend!]);
    const self = owner!.id.toUpperCase();
    refusedAsSelf(await server.gql('mutation($id: ID!, $u: ID!) { removeMember(conversationId: $id, userId: $u) { id } }', { id, u: self }, owner!.token));
    refusedAsSelf(await server.gql('mutation($id: ID!, $u: ID!) { setMemberRole(conversationId: $id, userId: $u, role: MEMBER) { id } }', { id, u: self }, owner!.token));
    ok(await server.gql('mutation($id: ID!, $u: [ID!]!) { addMembers(conversationId: $id, userIds: $u) { id } }', { id, u: [self, friend!.id.toUpperCase()] }, owner!.token));
    const members = await server.db.prisma.membership.findMany({ where: { conversationId: id }, orderBy: { userId: 'asc' } });
    expect(Object.fromEntries(members.map((m) => [m.userId, m.role]))).toEqual({ [owner!.id]: 'OWNER', [friend!.id]: 'MEMBER' });
  });

  it('a group is created with each member once, whatever the spelling', async () => {
    const [owner, friend] = await people(2);
    const created = ok(await server.gql<{ createGroup: { id: string } }>(
      'mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }',
      { input: { title: 'Once each', memberIds: [owner!.id.toUpperCase(), friend!.id, friend!.id.toUpperCase()] } },
      owner!.token,
    ));
    const members = await server.db.prisma.membership.findMany({ where: { conversationId: created.createGroup.id } });
    expect(members.map((m) => m.userId).sort()).toEqual([owner!.id, friend!.id].sort());
  });

  it('nobody starts a direct conversation with, or blocks, themselves', async () => {
    const [me] = await people(1);
    const self = me!.id.toUpperCase();
    refusedAsSelf(await server.gql('mutation($u: ID!) { createDirectConversation(userId: $u) { id } }', { u: self }, me!.token));
    refusedAsSelf(await server.gql('mutation($u: ID!) { blockUser(userId: $u) { id } }', { u: self }, me!.token));
    expect(await server.db.prisma.block.count({ where: { blockerId: me!.id } })).toBe(0);
    expect(await server.db.prisma.membership.count({ where: { userId: me!.id } })).toBe(0);
  });
});

describe('a conversation id in capitals', () => {
  it('is handed on as the API spells it: in events, and to a retry in the usual spelling', async () => {
    const [owner, friend] = await people(2);
    const id = await createGroup(server, owner!, [friend!]);
    const live = await connect(server, friend!);
    const shouted = id.toUpperCase();

    ok(await server.gql('mutation($id: ID!) { renameGroup(conversationId: $id, title: "Loud") { id } }', { id: shouted }, owner!.token));
    const renamed = await live.stream.next((e) => e.__typename === 'ConversationUpdatedEvent');
    expect(renamed.conversationId).toBe(id);

    const clientMsgId = randomUUID();
    const input = { conversationId: shouted, body: 'hello', clientMsgId };
    const sent = ok(await server.gql<{ sendMessage: TestMessage }>(SEND, { input }, owner!.token)).sendMessage;
    const added = await live.stream.next((e) => e.__typename === 'MessageAddedEvent');
    expect(added.conversationId).toBe(id);
    expect(await send(server, owner!, id, 'hello', { clientMsgId })).toMatchObject({ id: sent.id });

    ok(await server.gql('mutation($id: ID!) { setTyping(conversationId: $id) }', { id: shouted }, owner!.token));
    expect((await live.stream.next((e) => e.__typename === 'TypingEvent')).conversationId).toBe(id);
    // One throttle per conversation, however it is spelt.
    ok(await server.gql('mutation($id: ID!) { setTyping(conversationId: $id) }', { id }, owner!.token));
    ok(await server.gql('mutation($id: ID!) { leaveConversation(conversationId: $id) }', { id: shouted }, owner!.token));
    const left = await live.stream.next((e) => e.__typename === 'MemberLeftEvent');
    expect(left.conversationId).toBe(id);
    expect(live.stream.events.filter((e) => e.__typename === 'TypingEvent')).toHaveLength(1);
  });

  it('in sync cursors is the conversation the client knows, not one it lost', async () => {
    const [me] = await people(1);
    const id = await createGroup(server, me!, []);
    const result = ok(await server.gql<{ sync: { removedConversationIds: string[]; changes: { conversation: { id: string } }[] } }>(
      'query($cursors: [SyncCursorInput!]!) { sync(cursors: $cursors) { removedConversationIds changes { conversation { id } } } }',
      { cursors: [{ conversationId: id.toUpperCase(), seq: 1 }] },
      me!.token,
    ));
    expect(result.sync).toEqual({ removedConversationIds: [], changes: [] });
  });
});

describe('member lists', () => {
  it('999 ids are checked in a bounded number of queries', async () => {
    const [owner] = await people(1);
    const memberIds = Array.from({ length: 999 }, () => randomUUID());
    const { result, queries } = await server.countQueries(() =>
      server.gql('mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }', { input: { title: 'Crowd', memberIds } }, owner!.token),
    );
    expect(result.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    // The session, then the visibility of all of them at once.
    expect(queries).toBeLessThanOrEqual(3);
  });
});
