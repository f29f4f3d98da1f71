/**
 * Hostile input for every query and mutation, generated from the served schema (see
 * hostile-inputs.ts): each argument and input field, one at a time, as a member of the
 * conversations involved (and, for ids, as a stranger to them). Every answer must carry only
 * stable codes — never INTERNAL_SERVER_ERROR —, a refused mutation must have written nothing,
 * what was accepted must come back as it was sent, and one's own id in capitals must be
 * answered as one's own id. A NUL goes over every path (HTTP variables, an inline literal,
 * the WebSocket): the global guard (core/input-guards.ts) must refuse it with BAD_USER_INPUT.
 * One test per operation; its failures are soft, each naming its case.
 */
import { randomUUID } from 'node:crypto';
import { astFromValue, getNamedType, print } from 'graphql';
import { afterAll, beforeAll, it, type ExpectStatic } from 'vitest';
import type { Client } from 'graphql-ws';
import { ErrorCode } from '../src/core/errors.js';
import { startTestServer, wsQuery, type GraphQLResponse } from './server.js';
import { login, PASSWORD, registerUser, uniqueName, type TestUser } from './factories.js';
import { createGroup, ok, send } from './messenger.js';
import { documentFor, hostileCases, type HostileCase, type HostileContext } from './hostile-inputs.js';
import { jpegWithGps, upload } from './media.js';
import { addSticker, createPack, runSticker, uploadSticker } from './stickers.js';

const STABLE_CODES: string[] = Object.values(ErrorCode).filter((code) => code !== ErrorCode.Internal);

const server = await startTestServer();
afterAll(() => server.close());
const CASES = hostileCases(server.app.schema);
const OPERATIONS = [...new Set(CASES.map((c) => c.operation))];

/**
 * What one operation's cases work on, made for it alone: operations run side by side, and
 * one's success (a block, a member removed) must neither spoil another's cases nor show up
 * in another's "nothing written".
 */
interface World {
  member: TestUser;
  stranger: TestUser;
  friend: TestUser;
  /** A group of `member` (its owner) and `friend`. */
  group: string;
  /** The member's message in `group`. */
  message: string;
  /** Another session of the member's, to revoke. */
  spareSession: string;
  /** A graphql-ws client per caller, opened on first use. */
  sockets: Map<TestUser, Client>;
  /** For the sticker operations only: the member's published pack with one sticker, and a sticker upload of theirs. */
  stickers: { packId: string; slug: string; stickerId: string; mediaId: string } | null;
  /** For the avatar operations only: an image the member uploaded as an avatar. */
  avatarId: string | null;
}

/** Someone nobody may find, who knows nobody. */
let hermit: TestUser;
let foreign: HostileContext['foreign'];
let foreignGroup: string;

beforeAll(async () => {
  const [owner, lonely] = await Promise.all([registerUser(server), registerUser(server)]);
  hermit = lonely;
  ok(await server.gql('mutation { updateProfile(input: { whoCanFind: NOBODY, whoCanMessage: CONTACTS }) { id } }', {}, hermit.token));
  foreignGroup = await createGroup(server, owner, [], 'Not yours');
  const foreignMessage = await send(server, owner, foreignGroup, 'not yours either');
  foreign = { conversation: foreignGroup, message: foreignMessage.id, user: hermit.id, session: owner.sessionId };
});

async function makeWorld(operation: string): Promise<World> {
  const [member, stranger, friend] = await Promise.all([registerUser(server), registerUser(server), registerUser(server)]);
  const group = await createGroup(server, member, [friend], 'Hostile');
  const message = (await send(server, member, group, 'hello')).id;
  const spareSession = ok(await login(server, member.username)).login.session.id;
  return {
    member,
    stranger,
    friend,
    group,
    message,
    spareSession,
    sockets: new Map(),
    stickers: /sticker/i.test(operation) ? await stickersOf(member) : null,
    avatarId: /avatar/i.test(operation) ? await avatarOf(member) : null,
  };
}

async function avatarOf(member: TestUser): Promise<string> {
  const { status, body } = await upload(server.url, member.token, 'avatar', await jpegWithGps(), 'me.jpg', 'image/jpeg');
  if (status !== 201 || !body.id) throw new Error(`upload failed: ${status} ${JSON.stringify(body)}`);
  return body.id;
}

async function stickersOf(member: TestUser): Promise<World['stickers']> {
  const pack = await createPack(server, member, 'Hostile');
  const sticker = await addSticker(server, member, pack.id);
  ok(await runSticker(server, member, 'publishStickerPack', { packId: pack.id }));
  return { packId: pack.id, slug: pack.slug, stickerId: sticker.id, mediaId: await uploadSticker(server, member) };
}

/** A valid value for each required position: by coordinate where a name is not enough, else by name. */
function validValues(world: World): Record<string, () => unknown> {
  return {
    'Query.conversation.id': () => world.group,
    'Query.sync.cursors': () => [{ conversationId: world.group, seq: 0 }],
    'Query.users.ids': () => [world.friend.id],
    'Mutation.revokeSession.id': () => world.spareSession,
    'Mutation.login.input': () => ({ login: world.member.username, password: PASSWORD }),
    'Mutation.register.input': () => {
      const username = uniqueName();
      return { username, email: `${username}@example.test`, password: PASSWORD };
    },
    'Mutation.requestPasswordReset.login': () => world.member.username,
    // The member has two-factor off: a setup begins, the rest is refused (CONFLICT, INVALID_TOKEN) or refused before.
    'Mutation.completeLogin.input': () => ({ challenge: 'a'.repeat(43), code: '123456' }),
    'Mutation.beginTwoFactorSetup.input': () => ({ password: PASSWORD }),
    'Mutation.confirmTwoFactorSetup.code': () => '123456',
    'Mutation.disableTwoFactor.input': () => ({ password: PASSWORD, code: '123456' }),
    'Mutation.regenerateRecoveryCodes.input': () => ({ password: PASSWORD, code: '123456' }),
    'Mutation.requestEmailChange.input': () => ({ newEmail: `${uniqueName()}@example.test`, password: PASSWORD }),
    // Well-formed, but no live link's: every variant is answered INVALID_TOKEN or refused before.
    token: () => 'a'.repeat(43),
    newPassword: () => 'a brand new passphrase',
    'Mutation.changePassword.input.currentPassword': () => PASSWORD,
    // The real password: no hostile code passes the input's pattern, so nothing is deleted. Were one
    // to, only this operation's world would lose its member (its later cases then UNAUTHENTICATED).
    'Mutation.deleteAccount.input.password': () => PASSWORD,
    conversationId: () => world.group,
    messageId: () => world.message,
    userId: () => world.friend.id,
    userIds: () => [world.friend.id],
    memberIds: () => [world.friend.id],
    username: () => world.friend.username,
    body: () => 'hello',
    clientMsgId: () => randomUUID(),
    title: () => 'A title',
    query: () => 'hello',
    seq: () => 0,
    afterSeq: () => 0,
    role: () => 'MEMBER',
    muted: () => true,
    packId: () => world.stickers?.packId,
    packIds: () => world.stickers && [world.stickers.packId],
    slug: () => world.stickers?.slug,
    emoji: () => '🙂',
    'Mutation.addSticker.input.mediaId': () => world.stickers?.mediaId,
    'Mutation.setAvatar.mediaId': () => world.avatarId,
    'Mutation.setGroupAvatar.mediaId': () => world.avatarId,
    'Mutation.removeSticker.stickerId': () => world.stickers?.stickerId,
    'Mutation.reorderStickers.stickerIds': () => world.stickers && [world.stickers.stickerId],
  };
}

function contextFor(caller: TestUser, world: World): HostileContext {
  const values = validValues(world);
  return { selfId: caller.id, foreign, valid: (coordinate, name) => (values[coordinate] ?? values[name])?.() };
}

/**
 * Everything a refused mutation must leave as it was: the rows of the world's people and
 * conversations (what authz-fixtures' usersState and conversationState compare) and of an
 * account a refused registration could have made. One statement, not their dozen Prisma
 * queries: it is taken twice for each of about a thousand cases.
 */
async function state(world: World, variables: Record<string, unknown>): Promise<unknown> {
  const people = [world.member.id, world.stranger.id, world.friend.id, hermit.id];
  const conversations = [world.group, foreignGroup];
  const input = variables.input as { username?: unknown; email?: unknown } | undefined;
  // Only the valid name and address: a hostile one could not have been stored, and PostgreSQL refuses to be asked about some.
  const registered = [input?.username, input?.email].filter((v): v is string => typeof v === 'string' && /^[\w.@-]{3,64}$/.test(v));
  const [row] = await server.db.sql.rows<{ state: unknown }>`
    SELECT json_build_object(
      'users', (SELECT json_agg(json_build_object('id', id, 'email', email, 'passwordHash', password_hash, 'displayName', display_name, 'bio', bio,
          'locale', locale, 'whoCanFind', who_can_find, 'whoCanMessage', who_can_message, 'whoSeesLastSeen', who_sees_last_seen) ORDER BY id)
        FROM users WHERE id = ANY(${people}::uuid[])),
      'sessions', (SELECT count(*) FROM sessions WHERE user_id = ANY(${people}::uuid[])),
      'contacts', (SELECT json_agg(c ORDER BY owner_id, contact_id) FROM contacts c WHERE owner_id = ANY(${people}::uuid[]) OR contact_id = ANY(${people}::uuid[])),
      'blocks', (SELECT json_agg(b ORDER BY blocker_id, blocked_id) FROM blocks b WHERE blocker_id = ANY(${people}::uuid[]) OR blocked_id = ANY(${people}::uuid[])),
      'conversations', (SELECT json_agg(json_build_object('id', id, 'title', title, 'seq', seq, 'lastMessageSeq', last_message_seq) ORDER BY id)
        FROM conversations WHERE id = ANY(${conversations}::uuid[]) OR created_by_id = ANY(${people}::uuid[])),
      'memberships', (SELECT json_agg(m ORDER BY conversation_id, user_id) FROM memberships m
        WHERE conversation_id = ANY(${conversations}::uuid[]) OR user_id = ANY(${people}::uuid[])),
      'messages', (SELECT json_agg(json_build_object('id', id, 'seq', seq, 'updatedSeq', updated_seq, 'body', body, 'replyToId', reply_to_id,
          'editedAt', edited_at, 'deletedAt', deleted_at) ORDER BY id)
        FROM messages WHERE conversation_id = ANY(${conversations}::uuid[]) OR sender_id = ANY(${people}::uuid[])),
      'accounts', (SELECT count(*) FROM users WHERE username = ANY(${registered}::citext[]) OR email = ANY(${registered}::text[]))
    ) AS state`;
  return row!.state;
}

type Transport = 'HTTP' | 'HTTP, inlined' | 'WebSocket';

async function request(c: HostileCase, caller: TestUser, world: World, variables: Record<string, unknown>, transport: Transport): Promise<GraphQLResponse> {
  if (transport === 'HTTP') return server.gql(documentFor(c, variables), variables, caller.token);
  if (transport === 'WebSocket') {
    if (!world.sockets.has(caller)) world.sockets.set(caller, server.socket({ token: caller.token }).client);
    try {
      return await wsQuery(world.sockets.get(caller)!, documentFor(c, variables), variables);
    } catch (errors) {
      // Refused before execution: graphql-ws sends the errors as an `error` message.
      if (Array.isArray(errors)) return { errors };
      throw errors;
    }
  }
  const literal = astFromValue(variables[c.argument.name], c.argument.type);
  if (!literal) throw new Error(`cannot inline ${c.path}`);
  const rest = { ...variables, [c.argument.name]: undefined };
  return server.gql(documentFor(c, rest, { name: c.argument.name, literal: print(literal) }), rest, caller.token);
}

const codesOf = (result: GraphQLResponse) => (result.errors ?? []).map((e) => e.extensions?.code);

/** One case, one caller, one path; failures are soft, so one run lists every defect. */
async function attempt(expect: ExpectStatic, c: HostileCase, caller: TestUser, world: World, transport: Transport, label: string) {
  const ctx = contextFor(caller, world);
  const variables = c.variables(ctx);
  const before = c.kind === 'mutation' ? await state(world, variables) : null;
  const result = await request(c, caller, world, variables, transport);
  const codes = codesOf(result);
  const errors = JSON.stringify(result.errors);
  expect.soft(codes.filter((code) => !STABLE_CODES.includes(code)), `${label}: only stable codes; got ${errors}`).toEqual([]);
  if (c.nul) expect.soft(codes, `${label}: the guard refuses a NUL; got ${errors}`).toEqual([ErrorCode.BadUserInput]);
  if (codes.length === 0) {
    expect.soft(result.data, `${label}: data`).toBeTruthy();
    // PostgreSQL stores a lone surrogate as U+FFFD: what was accepted must come back as it was sent.
    expect.soft(JSON.stringify(result.data), `${label}: stored what was sent`).not.toContain('\uFFFD');
  }
  if (before && codes.length > 0) expect.soft(await state(world, variables), `${label}: nothing written`).toEqual(before);
  if (c.canonical) {
    const canonical = codesOf(await request(c, caller, world, c.canonical(ctx), transport));
    expect.soft(codes, `${label}: answered as the id spelt as the API spells it`).toEqual(canonical);
  }
}

/** Who the caller is matters for ids (their own, another's); for anything else a member reaches further than a stranger. */
const callersOf = (c: HostileCase, world: World) =>
  [['a member', world.member], ...(getNamedType(c.positionType).name === 'ID' ? [['a stranger', world.stranger] as const] : [])] as const;

// Side by side: the argon2 of registrations and sign-ins runs on other threads meanwhile.
it.concurrent.for(OPERATIONS)('%s: every hostile value', { timeout: 180_000 }, async (operation, { expect }) => {
  const world = await makeWorld(operation);
  for (const c of CASES.filter((c) => c.operation === operation)) {
    for (const [who, caller] of callersOf(c, world)) {
      const transports: Transport[] = c.nul ? ['HTTP', 'HTTP, inlined', 'WebSocket'] : ['HTTP'];
      for (const transport of transports) {
        await attempt(expect, c, caller, world, transport, `${c.path} ${c.variant}, as ${who} over ${transport}`);
      }
    }
  }
  await Promise.all([...world.sockets.values()].map((client) => client.dispose()));
});
