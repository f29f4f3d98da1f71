/**
 * Bad input for every operation of the messaging API: each bad field is answered
 * BAD_USER_INPUT with `extensions.fields` naming it, and nothing is written — the rows of
 * the users and conversations involved are compared before and after.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { createDirect, createGroup, ok, send, type TestMessage } from '../../../test/messenger.js';
import {
  conversationState, expectBadInput, MALFORMED_ID, MISSING_ID, outcomeOf, run, usersState, type OperationName,
} from '../../../test/authz-fixtures.js';

type Vars = Record<string, unknown>;
interface BadCase {
  name: string;
  op: OperationName;
  vars: () => Vars;
  /** The field `extensions.fields` must name. */
  field: string;
}

let server: TestServer;
let me: TestUser;
let friend: TestUser;
let other: TestUser;
/** me (owner), friend and other. */
let group: string;
/** me and friend. */
let direct: string;
let mine: TestMessage;
let inDirect: TestMessage;
let deleted: TestMessage;
let systemMessageId: string;
const usedKey = `key-${randomUUID()}`;

beforeAll(async () => {
  server = await startTestServer();
  [me, friend, other] = await Promise.all([registerUser(server), registerUser(server), registerUser(server)]);
  group = await createGroup(server, me, [friend, other], 'Bad input');
  direct = await createDirect(server, me, friend.id);
  mine = await send(server, me, group, 'hello');
  inDirect = await send(server, me, direct, 'psst', { clientMsgId: usedKey });
  deleted = await send(server, me, group, 'oops');
  ok(await run(server, me, 'deleteMessage', { id: deleted.id }));
  systemMessageId = (await server.db.prisma.message.findFirstOrThrow({ where: { conversationId: group, seq: 1 } })).id;
});
afterAll(() => server.close());

/** Everything the cases could write: the three users' rows and both conversations. */
async function state() {
  return {
    users: await usersState(server, [me, friend, other]),
    group: await conversationState(server, group),
    direct: await conversationState(server, direct),
  };
}

/** One `it` per case: BAD_USER_INPUT naming the field, and the database as it was. */
function refuses(cases: BadCase[]) {
  it.each(cases)('$op: $name → names $field', async ({ op, vars, field }) => {
    const before = await state();
    expectBadInput(await run(server, me, op, vars()), field);
    expect(await state()).toEqual(before);
  });
}

const long = (n: number) => 'a'.repeat(n);
/** A character and a variation selector each: class-validator's Length counts one, PostgreSQL two. */
const hearts = (n: number) => '\u2764\uFE0F'.repeat(n);
/** A cursor as the API makes them (base64url of [time, id]), holding what it would never hold. */
const cursorOf = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');
const sendInput = (extra: Vars) => ({ input: { conversationId: group, clientMsgId: randomUUID(), body: 'hello', ...extra } });
const BAD_BODIES: [string, string][] = [
  ['empty', ''],
  ['whitespace only', '  \n\t \r\n '],
  ['4001 characters', long(4001)],
  ['5001 characters', long(5001)],
  ['a bell (\\u0007)', 'ring \u0007 ring'],
  ['a right-to-left override (\\u202E)', 'abc \u202E cba'],
  ['a NUL (\\u0000)', 'nul \u0000 byte'],
  ['an escape (\\u001B)', 'colour \u001B[31m red'],
  // PostgreSQL would store U+FFFD in its place: not what was sent.
  ['an unpaired surrogate (\\uD800)', 'half \uD800 a pair'],
];
const BAD_TITLES: [string, string][] = [
  ['empty', ''],
  ['only spaces', '     '],
  ['129 characters', long(129)],
  ['a bell (\\u0007)', 'ring \u0007'],
  ['a right-to-left override (\\u202E)', '\u202Eabc'],
  // 128 to class-validator's Length, 256 to varchar(128).
  ['128 hearts with variation selectors', hearts(128)],
];

describe('messages', () => {
  refuses([
    ...BAD_BODIES.map(([name, body]): BadCase => ({ name: `body ${name}`, op: 'sendMessage', vars: () => sendInput({ body }), field: 'body' })),
    { name: 'clientMsgId with spaces', op: 'sendMessage', vars: () => sendInput({ clientMsgId: 'has spaces in it' }), field: 'clientMsgId' },
    { name: 'clientMsgId of 65 characters', op: 'sendMessage', vars: () => sendInput({ clientMsgId: long(65) }), field: 'clientMsgId' },
    { name: 'clientMsgId empty', op: 'sendMessage', vars: () => sendInput({ clientMsgId: '' }), field: 'clientMsgId' },
    { name: 'clientMsgId already used in another conversation', op: 'sendMessage', vars: () => sendInput({ clientMsgId: usedKey }), field: 'clientMsgId' },
    { name: 'replyToId of a message in another conversation', op: 'sendMessage', vars: () => sendInput({ replyToId: inDirect.id }), field: 'replyToId' },
    { name: 'replyToId of a SYSTEM message', op: 'sendMessage', vars: () => sendInput({ replyToId: systemMessageId }), field: 'replyToId' },
    { name: 'replyToId of a deleted message', op: 'sendMessage', vars: () => sendInput({ replyToId: deleted.id }), field: 'replyToId' },
    { name: 'replyToId missing', op: 'sendMessage', vars: () => sendInput({ replyToId: MISSING_ID }), field: 'replyToId' },
    { name: 'replyToId not an id', op: 'sendMessage', vars: () => sendInput({ replyToId: MALFORMED_ID }), field: 'replyToId' },
    ...BAD_BODIES.map(([name, body]): BadCase => ({ name: `body ${name}`, op: 'editMessage', vars: () => ({ id: mine.id, body }), field: 'body' })),
    { name: 'a deleted message', op: 'editMessage', vars: () => ({ id: deleted.id, body: 'back' }), field: 'messageId' },
    { name: 'a SYSTEM message', op: 'editMessage', vars: () => ({ id: systemMessageId, body: 'rewritten' }), field: 'messageId' },
  ]);

  it('sendMessage names every bad field at once', async () => {
    const before = await state();
    const result = await run(server, me, 'sendMessage', sendInput({ body: '', clientMsgId: 'two words' }));
    expectBadInput(result, 'body');
    expectBadInput(result, 'clientMsgId');
    expect(await state()).toEqual(before);
  });
});

describe('groups and members', () => {
  refuses([
    ...BAD_TITLES.map(([name, title]): BadCase => ({ name: `title ${name}`, op: 'createGroup', vars: () => ({ input: { title, memberIds: [friend.id] } }), field: 'title' })),
    { name: 'memberIds not ids', op: 'createGroup', vars: () => ({ input: { title: 'Fine', memberIds: [MALFORMED_ID] } }), field: 'memberIds' },
    { name: 'memberIds with one id among non-ids', op: 'createGroup', vars: () => ({ input: { title: 'Fine', memberIds: [friend.id, 'x'] } }), field: 'memberIds' },
    ...BAD_TITLES.map(([name, title]): BadCase => ({ name: `title ${name}`, op: 'renameGroup', vars: () => ({ id: group, title }), field: 'title' })),
    { name: 'a direct conversation', op: 'renameGroup', vars: () => ({ id: direct, title: 'Us' }), field: 'conversationId' },
    { name: 'userIds not ids', op: 'addMembers', vars: () => ({ id: group, userIds: [MALFORMED_ID] }), field: 'userIds' },
    { name: 'userIds with one id among non-ids', op: 'addMembers', vars: () => ({ id: group, userIds: [friend.id, 'x'] }), field: 'userIds' },
    { name: 'a direct conversation', op: 'addMembers', vars: () => ({ id: direct, userIds: [other.id] }), field: 'conversationId' },
    { name: 'oneself', op: 'removeMember', vars: () => ({ id: group, userId: me.id }), field: 'userId' },
    { name: 'a direct conversation', op: 'removeMember', vars: () => ({ id: direct, userId: friend.id }), field: 'conversationId' },
    { name: 'oneself', op: 'setMemberRole', vars: () => ({ id: group, userId: me.id, role: 'MEMBER' }), field: 'userId' },
    { name: 'a direct conversation', op: 'setMemberRole', vars: () => ({ id: direct, userId: friend.id, role: 'ADMIN' }), field: 'conversationId' },
    { name: 'a direct conversation', op: 'leaveConversation', vars: () => ({ id: direct }), field: 'conversationId' },
    { name: 'oneself', op: 'createDirectConversation', vars: () => ({ userId: me.id }), field: 'userId' },
  ]);
});

describe('reading, cursors and search', () => {
  const seqOfGroup = async () => (await server.db.prisma.conversation.findUniqueOrThrow({ where: { id: group } })).seq;
  let beyond = 0;
  beforeAll(async () => {
    beyond = (await seqOfGroup()) + 1;
  });
  refuses([
    { name: 'seq negative', op: 'markRead', vars: () => ({ id: group, seq: -1 }), field: 'seq' },
    { name: "seq beyond the conversation's", op: 'markRead', vars: () => ({ id: group, seq: beyond }), field: 'seq' },
    { name: 'both before and after', op: 'messages', vars: () => ({ id: group, before: 5, after: 1 }), field: 'before' },
    { name: 'limit 0', op: 'messages', vars: () => ({ id: group, limit: 0 }), field: 'limit' },
    { name: 'limit 101', op: 'messages', vars: () => ({ id: group, limit: 101 }), field: 'limit' },
    { name: 'before negative', op: 'messages', vars: () => ({ id: group, before: -1 }), field: 'before' },
    { name: 'after negative', op: 'messages', vars: () => ({ id: group, after: -1 }), field: 'after' },
    { name: 'afterSeq negative', op: 'changes', vars: () => ({ id: group, afterSeq: -1 }), field: 'afterSeq' },
    { name: 'limit 0', op: 'changes', vars: () => ({ id: group, afterSeq: 0, limit: 0 }), field: 'limit' },
    { name: 'limit 101', op: 'changes', vars: () => ({ id: group, afterSeq: 0, limit: 101 }), field: 'limit' },
    { name: 'a cursor with a bad id', op: 'sync', vars: () => ({ cursors: [{ conversationId: MALFORMED_ID, seq: 0 }] }), field: 'cursors.0.conversationId' },
    { name: 'a cursor with a negative seq', op: 'sync', vars: () => ({ cursors: [{ conversationId: direct, seq: 0 }, { conversationId: group, seq: -1 }] }), field: 'cursors.1.seq' },
    { name: 'first 0', op: 'conversations', vars: () => ({ first: 0 }), field: 'first' },
    { name: 'first 101', op: 'conversations', vars: () => ({ first: 101 }), field: 'first' },
    { name: 'after not a cursor', op: 'conversations', vars: () => ({ after: 'garbage' }), field: 'after' },
    { name: 'after a cursor in the year 0, which PostgreSQL refuses', op: 'conversations', vars: () => ({ after: cursorOf('0000-01-01T00:00:00.000Z', MISSING_ID) }), field: 'after' },
    { name: 'after an empty cursor', op: 'conversations', vars: () => ({ after: '' }), field: 'after' },
    { name: 'query empty', op: 'searchMessages', vars: () => ({ query: '' }), field: 'query' },
    { name: 'query only spaces', op: 'searchMessages', vars: () => ({ query: '    ' }), field: 'query' },
    { name: 'query of 257 characters', op: 'searchMessages', vars: () => ({ query: long(257) }), field: 'query' },
    { name: 'query with a NUL', op: 'searchMessages', vars: () => ({ query: 'hel\u0000lo' }), field: 'query' },
    { name: 'first 0', op: 'searchMessages', vars: () => ({ query: 'hello', first: 0 }), field: 'first' },
    { name: 'first 101', op: 'searchMessages', vars: () => ({ query: 'hello', first: 101 }), field: 'first' },
    { name: 'after not a cursor', op: 'searchMessages', vars: () => ({ query: 'hello', after: 'garbage' }), field: 'after' },
    { name: 'after a cursor whose id PostgreSQL cannot read', op: 'searchMessages', vars: () => ({ query: 'hello', after: cursorOf('2024-01-01T00:00:00.000Z', '-'.repeat(36)) }), field: 'after' },
  ]);

  it('markRead with a refused seq leaves the read cursor where it was', async () => {
    const cursor = async () => (await server.db.prisma.membership.findUniqueOrThrow({ where: { conversationId_userId: { conversationId: group, userId: friend.id } } })).lastReadSeq;
    const at = await cursor();
    expectBadInput(await run(server, friend, 'markRead', { id: group, seq: beyond + 100 }), 'seq');
    expect(await cursor()).toBe(at);
  });
});

describe('people and profile', () => {
  refuses([
    { name: 'query empty', op: 'searchUsers', vars: () => ({ query: '' }), field: 'query' },
    { name: 'query only "@"', op: 'searchUsers', vars: () => ({ query: '@' }), field: 'query' },
    { name: 'query only spaces', op: 'searchUsers', vars: () => ({ query: '   ' }), field: 'query' },
    { name: 'query of 65 characters', op: 'searchUsers', vars: () => ({ query: long(65) }), field: 'query' },
    { name: 'query with a NUL', op: 'searchUsers', vars: () => ({ query: 'ab\u0000c' }), field: 'query' },
    { name: 'first 0', op: 'searchUsers', vars: () => ({ query: 'abc', first: 0 }), field: 'first' },
    { name: 'first 51', op: 'searchUsers', vars: () => ({ query: 'abc', first: 51 }), field: 'first' },
    { name: 'neither userId nor username', op: 'addContact', vars: () => ({ input: {} }), field: 'userId' },
    { name: 'both userId and username', op: 'addContact', vars: () => ({ input: { userId: friend.id, username: friend.username } }), field: 'username' },
    { name: 'userId not an id', op: 'addContact', vars: () => ({ input: { userId: MALFORMED_ID } }), field: 'userId' },
    { name: 'username not a user name', op: 'addContact', vars: () => ({ input: { username: 'not a name!' } }), field: 'username' },
    { name: 'oneself by id', op: 'addContact', vars: () => ({ input: { userId: me.id } }), field: 'userId' },
    { name: 'oneself by name', op: 'addContact', vars: () => ({ input: { username: me.username.toUpperCase() } }), field: 'username' },
    { name: 'oneself', op: 'blockUser', vars: () => ({ userId: me.id }), field: 'userId' },
    { name: 'displayName empty', op: 'updateProfile', vars: () => ({ input: { displayName: '' } }), field: 'displayName' },
    { name: 'displayName only spaces', op: 'updateProfile', vars: () => ({ input: { displayName: '    ' } }), field: 'displayName' },
    { name: 'displayName of 65 characters', op: 'updateProfile', vars: () => ({ input: { displayName: long(65) } }), field: 'displayName' },
    { name: 'displayName with a bell', op: 'updateProfile', vars: () => ({ input: { displayName: 'Bell\u0007' } }), field: 'displayName' },
    { name: 'displayName with a right-to-left override', op: 'updateProfile', vars: () => ({ input: { displayName: '\u202Eevil' } }), field: 'displayName' },
    { name: 'locale "fr"', op: 'updateProfile', vars: () => ({ input: { locale: 'fr' } }), field: 'locale' },
    { name: 'locale empty', op: 'updateProfile', vars: () => ({ input: { locale: '' } }), field: 'locale' },
    { name: 'bio of 501 characters', op: 'updateProfile', vars: () => ({ input: { bio: long(501) } }), field: 'bio' },
    { name: 'bio with a bell', op: 'updateProfile', vars: () => ({ input: { bio: 'ring \u0007' } }), field: 'bio' },
    { name: 'displayName of 64 hearts with variation selectors', op: 'updateProfile', vars: () => ({ input: { displayName: hearts(64) } }), field: 'displayName' },
    { name: 'bio of 500 hearts with variation selectors', op: 'updateProfile', vars: () => ({ input: { bio: hearts(500) } }), field: 'bio' },
    { name: 'a good displayName with a bad locale', op: 'updateProfile', vars: () => ({ input: { displayName: 'Changed', locale: 'xx' } }), field: 'locale' },
  ]);

  it('user(username) with a NUL is no server error: no such user, or bad input', async () => {
    const result = await run(server, me, 'user', { username: 'ab\u0000c' });
    const outcome = outcomeOf(result);
    if (outcome === 'ok') expect(result.data).toEqual({ user: null });
    else expectBadInput(result, 'username');
  });
});

describe('operations that take only ids', () => {
  // By design (core/ids.ts) a malformed id is answered like a missing one, NOT_FOUND, so it tells nothing.
  it.each<[OperationName, () => Vars]>([
    ['deleteConversation', () => ({ id: MALFORMED_ID, forEveryone: false })],
    ['leaveConversation', () => ({ id: MALFORMED_ID })],
    ['setMuted', () => ({ id: MALFORMED_ID, muted: true })],
    ['setTyping', () => ({ id: MALFORMED_ID })],
    ['deleteMessage', () => ({ id: MALFORMED_ID })],
    ['deleteMessageForMe', () => ({ id: MALFORMED_ID })],
    ['removeContact', () => ({ userId: MALFORMED_ID })],
    ['unblockUser', () => ({ userId: MALFORMED_ID })],
    ['searchMessages', () => ({ query: 'hello', id: '' })],
  ])('%s with a malformed id: NOT_FOUND, nothing written', async (op, vars) => {
    const before = await state();
    expect(outcomeOf(await run(server, me, op, vars()))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await state()).toEqual(before);
  });
});

describe('values of the wrong GraphQL type', () => {
  // Coerced by GraphQL itself before any validator runs; the contract (core/errors.ts) still
  // promises BAD_USER_INPUT with `extensions.fields` naming each bad field.
  it.each<[string, string, OperationName, () => Vars]>([
    ['setMemberRole role "KING"', 'role', 'setMemberRole', () => ({ id: group, userId: friend.id, role: 'KING' })],
    ['updateProfile whoCanMessage "SOMETIMES"', 'whoCanMessage', 'updateProfile', () => ({ input: { whoCanMessage: 'SOMETIMES' } })],
    ['markRead seq "ten"', 'seq', 'markRead', () => ({ id: group, seq: 'ten' })],
    ['setMuted muted "yes"', 'muted', 'setMuted', () => ({ id: group, muted: 'yes' })],
  ])('%s → names %s', async (_name, field, op, vars) => {
    const before = await state();
    const result = await run(server, me, op, vars());
    expect(result.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const fields = (result.errors?.[0]?.extensions.fields ?? []) as { field: string }[];
    expect(fields.map((f) => f.field.split('.').at(-1)), result.errors?.[0]?.message).toContain(field);
    expect(await state()).toEqual(before);
  });
});

describe('the limits themselves are accepted (positive controls)', () => {
  it('a 4000-character body inside spaces, a 64-character clientMsgId, a 128-character title, limit 100', async () => {
    const sent = ok(await run(server, me, 'sendMessage', sendInput({ body: `  ${long(4000)}\n `, clientMsgId: 'k'.repeat(64) })));
    expect(JSON.stringify(sent)).toContain(long(4000));
    ok(await run(server, me, 'renameGroup', { id: group, title: 't'.repeat(128) }));
    ok(await run(server, me, 'messages', { id: group, limit: 100 }));
    ok(await run(server, me, 'updateProfile', { input: { displayName: 'd'.repeat(64), bio: `${long(499)}\n`, locale: 'ru' } }));
  });

  it('as many characters as PostgreSQL counts: 32 hearts with variation selectors for a name, 64 for a title, stored as sent', async () => {
    const profile = ok(await run(server, me, 'updateProfile', { input: { displayName: hearts(32), bio: hearts(250) } })) as { updateProfile: object };
    expect(profile.updateProfile).toMatchObject({ displayName: hearts(32), bio: hearts(250) });
    const renamed = ok(await run(server, me, 'renameGroup', { id: group, title: hearts(64) })) as { renameGroup: object };
    expect(renamed.renameGroup).toMatchObject({ title: hearts(64) });
  });
});
