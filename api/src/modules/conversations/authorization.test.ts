/**
 * The authorization matrix of the messaging API: every operation tried without a session,
 * as a stranger (who must learn nothing: a foreign id is answered exactly like a missing or
 * malformed one), and as a plain member, an admin and the owner of a group. Every refusal
 * is also checked to have changed nothing in the database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../../test/server.js';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { connect, createDirect, createGroup, ok, send, type TestMessage } from '../../../test/messenger.js';
import {
  conversationState, createCastGroup, expectOutcome, MALFORMED_ID, MISSING_ID, outcomeOf, registerCast, run, usersState,
  type Answer, type Cast, type Group, type OperationName, type Outcome,
} from '../../../test/authz-fixtures.js';

let server: TestServer;
let cast: Cast;
beforeAll(async () => {
  server = await startTestServer();
  cast = await registerCast(server);
});
afterAll(() => server.close());

type Vars = Record<string, unknown>;
const sendInput = (conversationId: string, extra: Vars = {}) => ({ input: { conversationId, clientMsgId: randomUUID(), body: 'hello', ...extra } });

/** Operations on one conversation, with the variables to aim them at conversation `id`. */
const CONVERSATION_OPS: { op: OperationName; vars: (id: string) => Vars }[] = [
  { op: 'conversation', vars: (id) => ({ id }) },
  { op: 'renameGroup', vars: (id) => ({ id, title: 'Taken over' }) },
  { op: 'addMembers', vars: (id) => ({ id, userIds: [cast.outsider.id] }) },
  { op: 'removeMember', vars: (id) => ({ id, userId: cast.member.id }) },
  { op: 'setMemberRole', vars: (id) => ({ id, userId: cast.member.id, role: 'ADMIN' }) },
  { op: 'leaveConversation', vars: (id) => ({ id }) },
  { op: 'deleteConversation', vars: (id) => ({ id, forEveryone: false }) },
  { op: 'deleteConversation', vars: (id) => ({ id, forEveryone: true }) },
  { op: 'markRead', vars: (id) => ({ id, seq: 1 }) },
  { op: 'setMuted', vars: (id) => ({ id, muted: true }) },
  { op: 'setTyping', vars: (id) => ({ id }) },
  { op: 'messages', vars: (id) => ({ id }) },
  { op: 'changes', vars: (id) => ({ id, afterSeq: 0 }) },
  { op: 'searchMessages', vars: (id) => ({ id, query: 'from' }) },
  { op: 'sendMessage', vars: (id) => sendInput(id) },
];
const MESSAGE_OPS: { op: OperationName; vars: (id: string) => Vars }[] = [
  { op: 'editMessage', vars: (id) => ({ id, body: 'rewritten' }) },
  { op: 'deleteMessage', vars: (id) => ({ id }) },
  { op: 'deleteMessageForMe', vars: (id) => ({ id }) },
];

describe('without a session', () => {
  let group: Group;
  let loggedOut: TestUser;
  beforeAll(async () => {
    group = await createCastGroup(server, cast);
    loggedOut = await registerUser(server);
    ok(await server.gql('mutation { logout }', {}, loggedOut.token));
  });

  const everyOperation: [OperationName, () => Vars][] = [
    ...CONVERSATION_OPS.map(({ op, vars }): [OperationName, () => Vars] => [op, () => vars(group.id)]),
    ...MESSAGE_OPS.map(({ op, vars }): [OperationName, () => Vars] => [op, () => vars(group.messages.member.id)]),
    ['conversations', () => ({})],
    ['sync', () => ({ cursors: [{ conversationId: group.id, seq: 0 }] })],
    ['createDirectConversation', () => ({ userId: cast.owner.id })],
    ['createGroup', () => ({ input: { title: 'Mine', memberIds: [cast.owner.id] } })],
    ['searchUsers', () => ({ query: cast.owner.username })],
    ['user', () => ({ username: cast.owner.username })],
    ['contacts', () => ({})],
    ['blockedUsers', () => ({})],
    ['addContact', () => ({ input: { userId: cast.owner.id } })],
    ['removeContact', () => ({ userId: cast.owner.id })],
    ['blockUser', () => ({ userId: cast.owner.id })],
    ['unblockUser', () => ({ userId: cast.owner.id })],
    ['updateProfile', () => ({ input: { displayName: 'Nobody' } })],
  ];

  it.each(everyOperation)('%s answers UNAUTHENTICATED, with no token and with an ended session', async (op, vars) => {
    const before = await conversationState(server, group.id);
    for (const user of [null, loggedOut]) {
      const result = await run(server, user, op, vars());
      expectOutcome(result, 'UNAUTHENTICATED');
      expect(Object.values(result.data ?? {}).filter((value) => value !== null)).toEqual([]);
    }
    expect(await conversationState(server, group.id)).toEqual(before);
  });

  it('events: the socket is closed with 4401 before any subscription, with no token and with an ended session', async () => {
    for (const params of [{}, { token: loggedOut.token }]) {
      expect((await server.socket(params).closed).code).toBe(4401);
    }
  });
});

describe('a stranger learns nothing', () => {
  let group: Group;
  let direct: string;
  let directMessage: TestMessage;
  let hermit: TestUser;
  beforeAll(async () => {
    group = await createCastGroup(server, cast);
    direct = await createDirect(server, cast.owner, cast.member.id);
    directMessage = await send(server, cast.owner, direct, 'just between us');
    // Someone the stranger may not see: hidden from search, no contact, no shared conversation.
    hermit = await registerUser(server);
    ok(await run(server, hermit, 'updateProfile', { input: { whoCanFind: 'NOBODY' } }));
  });
  const unchanged = async <T>(act: () => Promise<T>): Promise<T> => {
    const before = [await conversationState(server, group.id), await conversationState(server, direct)];
    const result = await act();
    expect([await conversationState(server, group.id), await conversationState(server, direct)]).toEqual(before);
    return result;
  };
  const answers = (op: OperationName, vars: (id: string) => Vars, ids: string[]) =>
    unchanged(async () => {
      const seen: Answer[] = [];
      for (const id of ids) seen.push(outcomeOf(await run(server, cast.stranger, op, vars(id))));
      return seen;
    });
  const expectAllAlike = (seen: Answer[], codes = /^(NOT_FOUND|FORBIDDEN)$/) => {
    expect(seen[0]).toMatchObject({ code: expect.stringMatching(codes) });
    for (const other of seen.slice(1)) expect(other).toEqual(seen[0]);
  };

  it.each(CONVERSATION_OPS)('$op: a foreign group or direct chat is answered like a missing or malformed id', async ({ op, vars }) => {
    expectAllAlike(await answers(op, vars, [group.id, direct, MISSING_ID, MALFORMED_ID]));
  });

  it.each(MESSAGE_OPS)('$op: a foreign message is answered like a missing or malformed id', async ({ op, vars }) => {
    const ids = [group.messages.member.id, group.systemMessageId, directMessage.id, MISSING_ID, MALFORMED_ID];
    expectAllAlike(await answers(op, vars, ids));
  });

  it('sendMessage: replying to a foreign message is answered like a reply to a missing one', async () => {
    const own = await createDirect(server, cast.stranger, cast.outsider.id);
    const replyTo = (id: string) => sendInput(own, { replyToId: id });
    expectAllAlike(await answers('sendMessage', replyTo, [group.messages.member.id, directMessage.id, MISSING_ID, MALFORMED_ID]), /^BAD_USER_INPUT$/);
    expect(await server.db.prisma.message.count({ where: { conversationId: own } })).toBe(0);
  });

  it('conversations, sync and searchMessages show nothing of foreign conversations', async () => {
    const list = ok(await run(server, cast.stranger, 'conversations', {})) as { conversations: { nodes: { id: string }[] } };
    expect(list.conversations.nodes.map((c) => c.id)).not.toContain(group.id);
    expect(list.conversations.nodes.map((c) => c.id)).not.toContain(direct);

    const cursors = [group.id, direct, MISSING_ID].map((conversationId) => ({ conversationId, seq: 0 }));
    const { sync } = ok(await run(server, cast.stranger, 'sync', { cursors })) as {
      sync: { changes: { conversation: { id: string } }[]; removedConversationIds: string[] };
    };
    expect(sync.changes.map((c) => c.conversation.id)).toEqual(expect.not.arrayContaining([group.id, direct]));
    // A foreign conversation is "gone" exactly like one that never existed.
    expect(sync.removedConversationIds.sort()).toEqual([group.id, direct, MISSING_ID].sort());

    for (const query of [group.word, 'between']) {
      const found = ok(await run(server, cast.stranger, 'searchMessages', { query })) as { searchMessages: { nodes: { conversationId: string }[] } };
      expect(found.searchMessages.nodes.filter((m) => [group.id, direct].includes(m.conversationId))).toEqual([]);
    }
  });

  it.each([
    { op: 'createDirectConversation' as const, vars: (id: string) => ({ userId: id }), malformedAlike: true },
    { op: 'blockUser' as const, vars: (id: string) => ({ userId: id }), malformedAlike: true },
    { op: 'addContact' as const, vars: (id: string) => ({ input: { userId: id } }), malformedAlike: false },
    { op: 'createGroup' as const, vars: (id: string) => ({ input: { title: 'Lure', memberIds: [id] } }), malformedAlike: false },
    { op: 'removeContact' as const, vars: (id: string) => ({ userId: id }), malformedAlike: true },
    { op: 'unblockUser' as const, vars: (id: string) => ({ userId: id }), malformedAlike: true },
  ])('$op: a user hidden from the stranger is answered like a missing id', async ({ op, vars, malformedAlike }) => {
    const before = await usersState(server, [cast.stranger, hermit]);
    const ids = [hermit.id, MISSING_ID, ...(malformedAlike ? [MALFORMED_ID] : [])];
    expectAllAlike(await answers(op, vars, ids));
    expect(await usersState(server, [cast.stranger, hermit])).toEqual(before);
  });

  it('addMembers to their own group: a hidden user is answered like a missing id', async () => {
    const own = await createGroup(server, cast.stranger, [], 'Own');
    const before = await conversationState(server, own);
    const seen: Answer[] = [];
    for (const id of [hermit.id, MISSING_ID]) seen.push(outcomeOf(await run(server, cast.stranger, 'addMembers', { id: own, userIds: [id] })));
    expectAllAlike(seen);
    expect(await conversationState(server, own)).toEqual(before);
  });

  it('user, searchUsers and addContact by name: a hidden user is answered like a missing name', async () => {
    const missing = `nobody_${randomUUID().slice(0, 8)}`;
    for (const username of [hermit.username, missing]) {
      expect(ok(await run(server, cast.stranger, 'user', { username }))).toEqual({ user: null });
      expect(ok(await run(server, cast.stranger, 'searchUsers', { query: username }))).toEqual({ searchUsers: [] });
    }
    expectAllAlike(await answers('addContact', (username) => ({ input: { username } }), [hermit.username, missing]));
  });

  it('a removed member reads what they had and writes nothing: FORBIDDEN, their own old message too', async () => {
    const g = await createCastGroup(server, cast);
    ok(await run(server, cast.owner, 'removeMember', { id: g.id, userId: cast.member2.id }));
    const before = await conversationState(server, g.id);
    // Reading (and their own cursor and muting) is theirs; leaving or deleting drops their copy (removal.test.ts).
    const reads = new Set<OperationName>(['conversation', 'messages', 'changes', 'searchMessages', 'markRead', 'setMuted', 'leaveConversation', 'deleteConversation']);
    for (const { op, vars } of CONVERSATION_OPS) {
      const forEveryone = op === 'deleteConversation' && vars(g.id).forEveryone === true;
      if (reads.has(op) && !forEveryone) continue;
      expectOutcome(await run(server, cast.member2, op, vars(g.id)), 'FORBIDDEN');
    }
    for (const { op, vars } of MESSAGE_OPS) expectOutcome(await run(server, cast.member2, op, vars(g.messages.member2.id)), 'FORBIDDEN');
    expect(await conversationState(server, g.id)).toEqual(before);
    for (const op of ['conversation', 'messages', 'changes', 'searchMessages'] as const) {
      expectOutcome(await run(server, cast.member2, op, CONVERSATION_OPS.find((c) => c.op === op)!.vars(g.id)), 'ok');
    }
  });

  it('a fellow member may see a hidden user (positive control)', async () => {
    await createGroup(server, hermit, [cast.outsider], 'Together');
    expect(ok(await run(server, cast.outsider, 'user', { username: hermit.username }))).toEqual({ user: { id: hermit.id } });
  });
});

type Role = 'member' | 'admin' | 'owner';
const ROLE_NAME = { member: 'MEMBER', admin: 'ADMIN', owner: 'OWNER' } as const;

interface RoleCase {
  name: string;
  expect: Record<Role, Outcome>;
  act(g: Group, actor: TestUser): Promise<GraphQLResponse>;
  /** For an allowed call: what it must have done. */
  effect?(g: Group, actor: TestUser, role: Role, data: Record<string, unknown>): Promise<void> | void;
}
const all = (outcome: Outcome): Record<Role, Outcome> => ({ member: outcome, admin: outcome, owner: outcome });
const adminsOnly = { member: 'FORBIDDEN', admin: 'ok', owner: 'ok' } as const;
const ownerOnly = { member: 'FORBIDDEN', admin: 'FORBIDDEN', owner: 'ok' } as const;
const prisma = () => server.db.prisma;
const membership = (g: Group, user: TestUser) => prisma().membership.findUnique({ where: { conversationId_userId: { conversationId: g.id, userId: user.id } } });
const messageRow = (id: string) => prisma().message.findUniqueOrThrow({ where: { id } });

const ROLE_CASES: RoleCase[] = [
  { name: 'conversation', expect: all('ok'), act: (g, a) => run(server, a, 'conversation', { id: g.id }),
    effect: (g, _a, role, data) => expect(data.conversation).toMatchObject({ id: g.id, myRole: ROLE_NAME[role] }) },
  { name: 'conversations', expect: all('ok'), act: (_g, a) => run(server, a, 'conversations', { first: 100 }),
    effect: (g, _a, _r, data) => expect((data as { conversations: { nodes: { id: string }[] } }).conversations.nodes.map((c) => c.id)).toContain(g.id) },
  { name: 'renameGroup', expect: adminsOnly, act: (g, a) => run(server, a, 'renameGroup', { id: g.id, title: 'Renamed' }),
    effect: async (g) => expect((await prisma().conversation.findUnique({ where: { id: g.id } }))?.title).toBe('Renamed') },
  { name: 'addMembers', expect: adminsOnly, act: (g, a) => run(server, a, 'addMembers', { id: g.id, userIds: [cast.outsider.id] }),
    effect: async (g) => expect(await membership(g, cast.outsider)).toMatchObject({ role: 'MEMBER' }) },
  { name: 'removeMember of a plain member', expect: adminsOnly, act: (g, a) => run(server, a, 'removeMember', { id: g.id, userId: cast.member2.id }),
    // They keep a read-only membership, marked removed (visibility.ts).
    effect: async (g) => expect(await membership(g, cast.member2)).toMatchObject({ removedSeq: expect.any(Number) }) },
  { name: 'removeMember of an admin', expect: ownerOnly, act: (g, a) => run(server, a, 'removeMember', { id: g.id, userId: cast.admin2.id }),
    effect: async (g) => expect(await membership(g, cast.admin2)).toMatchObject({ removedSeq: expect.any(Number) }) },
  { name: 'removeMember of the owner', expect: { member: 'FORBIDDEN', admin: 'FORBIDDEN', owner: 'BAD_USER_INPUT' },
    act: (g, a) => run(server, a, 'removeMember', { id: g.id, userId: cast.owner.id }) },
  { name: 'setMemberRole MEMBER → ADMIN', expect: ownerOnly, act: (g, a) => run(server, a, 'setMemberRole', { id: g.id, userId: cast.member2.id, role: 'ADMIN' }),
    effect: async (g) => expect(await membership(g, cast.member2)).toMatchObject({ role: 'ADMIN' }) },
  { name: 'setMemberRole ADMIN → MEMBER', expect: ownerOnly, act: (g, a) => run(server, a, 'setMemberRole', { id: g.id, userId: cast.admin2.id, role: 'MEMBER' }),
    effect: async (g) => expect(await membership(g, cast.admin2)).toMatchObject({ role: 'MEMBER' }) },
  { name: 'setMemberRole → OWNER (hand over)', expect: ownerOnly, act: (g, a) => run(server, a, 'setMemberRole', { id: g.id, userId: cast.member2.id, role: 'OWNER' }),
    effect: async (g) => {
      expect(await membership(g, cast.member2)).toMatchObject({ role: 'OWNER' });
      expect(await membership(g, cast.owner)).toMatchObject({ role: 'ADMIN' });
    } },
  { name: 'leaveConversation', expect: all('ok'), act: (g, a) => run(server, a, 'leaveConversation', { id: g.id }),
    effect: async (g, a, role) => {
      expect(await membership(g, a)).toBeNull();
      const owners = await prisma().membership.findMany({ where: { conversationId: g.id, role: 'OWNER' } });
      expect(owners).toHaveLength(1);
      // An owner who leaves hands over to an admin.
      expect(role === 'owner' ? [cast.admin.id, cast.admin2.id] : [cast.owner.id]).toContain(owners[0]!.userId);
    } },
  { name: 'deleteConversation for me', expect: all('ok'), act: (g, a) => run(server, a, 'deleteConversation', { id: g.id, forEveryone: false }),
    effect: async (g, a) => {
      const { seq } = await prisma().conversation.findUniqueOrThrow({ where: { id: g.id } });
      expect(await membership(g, a)).toMatchObject({ hiddenUpToSeq: seq });
      expect(await membership(g, cast.member2)).toMatchObject({ hiddenUpToSeq: 0 });
    } },
  { name: 'deleteConversation for everyone', expect: ownerOnly, act: (g, a) => run(server, a, 'deleteConversation', { id: g.id, forEveryone: true }),
    effect: async (g) => expect(await prisma().conversation.findUnique({ where: { id: g.id } })).toBeNull() },
  { name: 'markRead', expect: all('ok'), act: (g, a) => run(server, a, 'markRead', { id: g.id, seq: g.messages.member2.seq }),
    effect: async (g, a) => expect(await membership(g, a)).toMatchObject({ lastReadSeq: g.messages.member2.seq }) },
  { name: 'setMuted', expect: all('ok'), act: (g, a) => run(server, a, 'setMuted', { id: g.id, muted: true }),
    effect: async (g, a) => expect(await membership(g, a)).toMatchObject({ muted: true }) },
  { name: 'setTyping', expect: all('ok'), act: (g, a) => run(server, a, 'setTyping', { id: g.id }),
    effect: (_g, _a, _r, data) => expect(data).toEqual({ setTyping: true }) },
  { name: 'messages', expect: all('ok'), act: (g, a) => run(server, a, 'messages', { id: g.id }),
    effect: (g, _a, _r, data) => expect(JSON.stringify(data)).toContain(g.messages.member2.id) },
  { name: 'changes', expect: all('ok'), act: (g, a) => run(server, a, 'changes', { id: g.id, afterSeq: 0 }),
    effect: (g, _a, _r, data) => expect(JSON.stringify(data)).toContain(g.messages.member2.id) },
  { name: 'sync', expect: all('ok'), act: (_g, a) => run(server, a, 'sync', { cursors: [] }),
    effect: (g, _a, _r, data) => expect(JSON.stringify(data)).toContain(g.messages.member2.id) },
  { name: 'searchMessages', expect: all('ok'), act: (g, a) => run(server, a, 'searchMessages', { id: g.id, query: g.word }),
    effect: (_g, _a, _r, data) => expect((data as { searchMessages: { nodes: unknown[] } }).searchMessages.nodes).toHaveLength(5) },
  { name: 'sendMessage', expect: all('ok'), act: (g, a) => run(server, a, 'sendMessage', sendInput(g.id, { body: 'news' })),
    effect: async (g, a) => expect(await prisma().message.count({ where: { conversationId: g.id, senderId: a.id, body: 'news' } })).toBe(1) },
  { name: 'editMessage of their own', expect: all('ok'), act: (g, a) => run(server, a, 'editMessage', { id: ownMessage(g, a).id, body: 'fixed' }),
    effect: async (g, a) => expect(await messageRow(ownMessage(g, a).id)).toMatchObject({ body: 'fixed', editedAt: expect.any(Date) }) },
  { name: "editMessage of a plain member's", expect: all('FORBIDDEN'), act: (g, a) => run(server, a, 'editMessage', { id: g.messages.member2.id, body: 'fixed' }) },
  { name: 'editMessage of the SYSTEM message (sent by the owner)', expect: { member: 'FORBIDDEN', admin: 'FORBIDDEN', owner: 'BAD_USER_INPUT' },
    act: (g, a) => run(server, a, 'editMessage', { id: g.systemMessageId, body: 'fixed' }) },
  { name: 'deleteMessage of their own', expect: all('ok'), act: (g, a) => run(server, a, 'deleteMessage', { id: ownMessage(g, a).id }),
    effect: async (g, a) => expect(await messageRow(ownMessage(g, a).id)).toMatchObject({ body: '', deletedAt: expect.any(Date) }) },
  { name: "deleteMessage of a plain member's", expect: adminsOnly, act: (g, a) => run(server, a, 'deleteMessage', { id: g.messages.member2.id }),
    effect: async (g) => expect(await messageRow(g.messages.member2.id)).toMatchObject({ deletedAt: expect.any(Date) }) },
  { name: "deleteMessage of another admin's", expect: adminsOnly, act: (g, a) => run(server, a, 'deleteMessage', { id: g.messages.admin2.id }),
    effect: async (g) => expect(await messageRow(g.messages.admin2.id)).toMatchObject({ deletedAt: expect.any(Date) }) },
  { name: 'deleteMessage of the SYSTEM message', expect: all('FORBIDDEN'), act: (g, a) => run(server, a, 'deleteMessage', { id: g.systemMessageId }) },
  { name: "deleteMessageForMe of a plain member's", expect: all('ok'), act: (g, a) => run(server, a, 'deleteMessageForMe', { id: g.messages.member2.id }),
    effect: async (g, a) => {
      // Hidden from the one who asked, and from nobody else.
      expect(await prisma().hiddenMessage.findMany({ where: { conversationId: g.id } })).toMatchObject([{ userId: a.id, messageId: g.messages.member2.id, hiddenSeq: 1 }]);
      expect(await messageRow(g.messages.member2.id)).toMatchObject({ deletedAt: null, body: expect.stringContaining('from member2') });
    } },
  { name: 'deleteMessageForMe of the SYSTEM message', expect: all('ok'), act: (g, a) => run(server, a, 'deleteMessageForMe', { id: g.systemMessageId }),
    effect: async (g, a) => expect(await prisma().hiddenMessage.findMany({ where: { conversationId: g.id } })).toMatchObject([{ userId: a.id, messageId: g.systemMessageId }]) },
];
function ownMessage(g: Group, actor: TestUser): TestMessage {
  return actor === cast.owner ? g.messages.owner : actor === cast.admin ? g.messages.admin : g.messages.member;
}

describe.each(ROLE_CASES)('in a group: $name', (c) => {
  it.each((['member', 'admin', 'owner'] as const).map((role) => ({ role, outcome: c.expect[role] })))('as $role: $outcome', async ({ role, outcome }) => {
    const g = await createCastGroup(server, cast);
    const before = await conversationState(server, g.id);
    const result = await c.act(g, cast[role]);
    expectOutcome(result, outcome);
    if (outcome === 'ok') await c.effect?.(g, cast[role], role, result.data as Record<string, unknown>);
    else expect(await conversationState(server, g.id)).toEqual(before);
  });
});

describe('in a direct conversation, as one of its two members', () => {
  let me: TestUser;
  let other: TestUser;
  let id: string;
  let theirs: TestMessage;
  beforeAll(async () => {
    [me, other] = await Promise.all([registerUser(server), registerUser(server)]);
    id = await createDirect(server, me, other.id);
    theirs = await send(server, other, id, 'mine, not yours');
  });

  it.each<[string, OperationName, () => Vars, Outcome]>([
    ['renameGroup', 'renameGroup', () => ({ id, title: 'Ours' }), 'BAD_USER_INPUT'],
    ['addMembers', 'addMembers', () => ({ id, userIds: [cast.outsider.id] }), 'BAD_USER_INPUT'],
    ['removeMember', 'removeMember', () => ({ id, userId: other.id }), 'BAD_USER_INPUT'],
    ['setMemberRole', 'setMemberRole', () => ({ id, userId: other.id, role: 'ADMIN' }), 'BAD_USER_INPUT'],
    ['leaveConversation', 'leaveConversation', () => ({ id }), 'BAD_USER_INPUT'],
    ['deleteConversation for everyone', 'deleteConversation', () => ({ id, forEveryone: true }), 'FORBIDDEN'],
    ["editMessage of the other's", 'editMessage', () => ({ id: theirs.id, body: 'yours now' }), 'FORBIDDEN'],
    ["deleteMessage of the other's", 'deleteMessage', () => ({ id: theirs.id }), 'FORBIDDEN'],
  ])('%s is refused (%s)', async (_name, op, vars, outcome) => {
    const before = await conversationState(server, id);
    expectOutcome(await run(server, me, op, vars()), outcome);
    expect(await conversationState(server, id)).toEqual(before);
  });

  it('sending, editing and deleting their own message, deleting the other\'s for themselves and deleting the chat for themselves are allowed', async () => {
    const mine = await send(server, me, id, 'typo');
    expectOutcome(await run(server, me, 'editMessage', { id: mine.id, body: 'fixed' }), 'ok');
    expectOutcome(await run(server, me, 'deleteMessage', { id: mine.id }), 'ok');
    expectOutcome(await run(server, me, 'deleteMessageForMe', { id: theirs.id }), 'ok');
    expectOutcome(await run(server, me, 'deleteConversation', { id, forEveryone: false }), 'ok');
    expect(await messageRow(theirs.id)).toMatchObject({ body: 'mine, not yours', deletedAt: null });
    expect(await prisma().hiddenMessage.findMany({ where: { conversationId: id } })).toMatchObject([{ userId: me.id, messageId: theirs.id }]);
  });
});

describe('the events subscription', () => {
  it('reaches the owner, an admin and a member; a stranger subscribed at the same time gets nothing of it', async () => {
    const g = await createCastGroup(server, cast);
    const [owner, admin, member, stranger] = await Promise.all([
      connect(server, cast.owner), connect(server, cast.admin), connect(server, cast.member), connect(server, cast.stranger),
    ]);
    const sent = await send(server, cast.member2, g.id, 'for members only');
    ok(await run(server, cast.member2, 'editMessage', { id: sent.id, body: 'for members only!' }));
    ok(await run(server, cast.member2, 'setTyping', { id: g.id }));
    ok(await run(server, cast.member2, 'markRead', { id: g.id, seq: sent.seq }));
    ok(await run(server, cast.owner, 'renameGroup', { id: g.id, title: 'Members only' }));
    for (const { stream } of [owner, admin, member]) {
      await stream.next((e) => e.__typename === 'MessageAddedEvent' && e.message?.id === sent.id);
      await stream.next((e) => e.__typename === 'TypingEvent' && e.conversationId === g.id);
      await stream.next((e) => e.__typename === 'ConversationUpdatedEvent' && e.conversationId === g.id);
    }
    // Events reach a subscriber in order: once the stranger hears of its own later change, it has heard everything before.
    const own = await createGroup(server, cast.stranger, [], 'Barrier');
    await stranger.stream.next((e) => e.__typename === 'MemberJoinedEvent' && e.conversationId === own);
    expect(stranger.stream.events.filter((e) => e.conversationId === g.id || e.message?.conversationId === g.id)).toEqual([]);
  });

  it('stops at removal: a removed member gets nothing sent afterwards, while a member still does', async () => {
    const g = await createCastGroup(server, cast);
    const [removed, stays] = await Promise.all([connect(server, cast.member2), connect(server, cast.member)]);
    ok(await run(server, cast.owner, 'removeMember', { id: g.id, userId: cast.member2.id }));
    // Their removal is the last thing they hear of it.
    await removed.stream.next((e) => e.__typename === 'MemberLeftEvent' && e.conversationId === g.id && e.userId === cast.member2.id);
    const after = await send(server, cast.owner, g.id, 'after you left');
    await stays.stream.next((e) => e.message?.id === after.id);
    const own = await createGroup(server, cast.member2, [], 'Barrier');
    await removed.stream.next((e) => e.__typename === 'MemberJoinedEvent' && e.conversationId === own);
    expect(removed.stream.events.filter((e) => e.message?.id === after.id)).toEqual([]);
  });

  it('keeps history from before a member joined hidden: a member added later gets no edit of an older message', async () => {
    const g = await createCastGroup(server, cast);
    ok(await run(server, cast.owner, 'addMembers', { id: g.id, userIds: [cast.outsider.id] }));
    const [late, early] = await Promise.all([connect(server, cast.outsider), connect(server, cast.member)]);
    const older = g.messages.member2;
    // The late member may not read it (positive control of the rule)...
    expectOutcome(await run(server, cast.outsider, 'editMessage', { id: older.id, body: 'x' }), 'NOT_FOUND');
    ok(await run(server, cast.member2, 'editMessage', { id: older.id, body: 'secret plans, revised' }));
    await early.stream.next((e) => e.__typename === 'MessageEditedEvent' && e.message?.id === older.id);
    // ...so its edit must not reach them either.
    const own = await createGroup(server, cast.outsider, [], 'Barrier');
    await late.stream.next((e) => e.__typename === 'MemberJoinedEvent' && e.conversationId === own);
    expect(late.stream.events.filter((e) => e.message?.id === older.id).map((e) => ({ type: e.__typename, body: e.message?.body }))).toEqual([]);
  });
});
