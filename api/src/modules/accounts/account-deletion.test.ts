import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../../test/server.js';
import { login, PASSWORD, registerUser, type TestUser } from '../../../test/factories.js';
import { conversationState, expectBadInput, run, usersState } from '../../../test/authz-fixtures.js';
import { connect, createDirect, createGroup, ok, send, type TestEvent } from '../../../test/messenger.js';
import { TOTP_PERIOD_SECONDS } from './second-factor.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const DELETE_ACCOUNT = 'mutation($input: DeleteAccountInput!) { deleteAccount(input: $input) }';
const deleteAccount = (user: TestUser, input: { password: string; code?: string | null }) =>
  server.gql<{ deleteAccount: boolean }>(DELETE_ACCOUNT, { input }, user.token);
const codeOf = (result: GraphQLResponse) => result.errors?.[0]?.extensions.code ?? 'ok';
const HISTORY = 'query($id: ID!) { messages(conversationId: $id) { messages { id body kind sender { id } event { type users { id } } } } }';
type HistoryMessage = { id: string; body: string; kind: string; sender: { id: string } | null; event: { type: string; users: { id: string }[] } | null };
const history = async (user: TestUser, id: string) =>
  ok(await server.gql<{ messages: { messages: HistoryMessage[] } }>(HISTORY, { id }, user.token)).messages.messages;

/** Everything a refused deletion must leave as it was: the account, what points at it, its groups. */
async function deletionState(user: TestUser, conversationIds: string[]) {
  const [row, sessions, conversations] = await Promise.all([
    server.db.prisma.user.findUnique({ where: { id: user.id }, select: { id: true, username: true, email: true, passwordHash: true } }),
    server.db.prisma.session.count({ where: { userId: user.id } }),
    Promise.all(conversationIds.map((id) => conversationState(server, id))),
  ]);
  return { row, sessions, conversations, related: await usersState(server, [user]) };
}

/** Turns two-factor sign-in on for `user` as its setup would leave it, and returns its authenticator. */
async function withTwoFactor(user: TestUser): Promise<TOTP> {
  const { secret, sealed } = server.app.services.secondFactor.newSecret(user.username);
  await server.db.prisma.user.update({ where: { id: user.id }, data: { totpSecret: sealed, totpEnabledAt: new Date() } });
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secret) });
}

/** A six-digit code the authenticator would not show now, nor one step before or after. */
function wrongCode(totp: TOTP): string {
  const now = Date.now();
  const valid = new Set([-1, 0, 1].map((step) => totp.generate({ timestamp: now + step * TOTP_PERIOD_SECONDS * 1000 })));
  for (;;) {
    const code = String(randomBytes(4).readUInt32BE() % 1_000_000).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

describe('deleteAccount refuses', () => {
  it('a wrong or missing password (BAD_USER_INPUT on password), deleting nothing', async () => {
    const [user, friend] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, user, [friend]);
    const before = await deletionState(user, [group]);
    for (const password of ['not my password', '']) expectBadInput(await deleteAccount(user, { password }), 'password');
    expect(await deletionState(user, [group])).toEqual(before);
    expect(codeOf(await server.gql('{ me { id } }', {}, user.token))).toBe('ok');
  });

  it('with two-factor sign-in on: a missing, wrong or malformed code (BAD_USER_INPUT on code), deleting nothing; a right one deletes', async () => {
    const user = await registerUser(server);
    const totp = await withTwoFactor(user);
    const before = await deletionState(user, []);
    for (const code of [undefined, null, '', wrongCode(totp), 'abc', 'x'.repeat(100)]) {
      expectBadInput(await deleteAccount(user, { password: PASSWORD, ...(code === undefined ? {} : { code }) }), 'code');
    }
    // The password is checked first: a right code with a wrong password is not spent.
    const code = totp.generate();
    expectBadInput(await deleteAccount(user, { password: 'not my password', code }), 'password');
    expect(await deletionState(user, [])).toEqual(before);

    expect(ok(await deleteAccount(user, { password: PASSWORD, code }))).toEqual({ deleteAccount: true });
    expect(await server.db.prisma.user.findUnique({ where: { id: user.id } })).toBeNull();
  });

  it('takes a recovery code as the code', async () => {
    const user = await registerUser(server);
    await withTwoFactor(user);
    const { codes, hashes } = server.app.services.secondFactor.newRecoveryCodes();
    await server.db.prisma.user.update({ where: { id: user.id }, data: { recoveryCodes: hashes } });
    expect(ok(await deleteAccount(user, { password: PASSWORD, code: codes[3]!.toLowerCase() }))).toEqual({ deleteAccount: true });
  });
});

describe('deleteAccount', () => {
  it('ignores a code when two-factor sign-in is off, and answers one of two deletions at once without a fault', async () => {
    const user = await registerUser(server);
    const second = ok(await login(server, user.username)).login;
    const results = await Promise.all([
      deleteAccount(user, { password: PASSWORD, code: '123456' }),
      server.gql(DELETE_ACCOUNT, { input: { password: PASSWORD } }, second.token),
    ]);
    expect(results.map(codeOf).filter((code) => code !== 'ok')).toEqual([expect.stringMatching(/^(NOT_FOUND|UNAUTHENTICATED)$/)]);
    expect(await server.db.prisma.user.findUnique({ where: { id: user.id } })).toBeNull();
  });

  describe('of someone with groups, a direct conversation, contacts, blocks, uploads and stickers', () => {
    let doomed: TestUser, admin: TestUser, member: TestUser, partner: TestUser, blocker: TestUser;
    let owned: string, joined: string, alone: string, direct: string;
    let ownedMessage: string, directMessage: string;
    let media: { mine: string; admins: string };
    let packs: { mine: string; admins: string };
    const streams = new Map<TestUser, Awaited<ReturnType<typeof connect>>>();
    let doomedSockets: Promise<{ code: number }>[];
    let answer: GraphQLResponse;

    beforeAll(async () => {
      const register = () => registerUser(server);
      [doomed, admin, member, partner, blocker] = await Promise.all([register(), register(), register(), register(), register()]);
      owned = await createGroup(server, doomed, [admin, member], 'Owned by the doomed');
      ok(await run(server, doomed, 'setMemberRole', { id: owned, userId: admin.id, role: 'ADMIN' }));
      joined = await createGroup(server, admin, [doomed], 'Joined by the doomed');
      alone = await createGroup(server, doomed, [], 'Only the doomed');
      direct = await createDirect(server, doomed, partner.id);
      ownedMessage = (await send(server, doomed, owned, 'my words stay')).id;
      directMessage = (await send(server, doomed, direct, 'hello from the doomed')).id;
      await send(server, partner, direct, 'hello back');
      ok(await run(server, admin, 'addContact', { input: { userId: doomed.id } }));
      ok(await run(server, doomed, 'addContact', { input: { userId: member.id } }));
      ok(await run(server, doomed, 'blockUser', { userId: blocker.id }));
      ok(await run(server, blocker, 'blockUser', { userId: doomed.id }));

      // No API makes these yet: rows as uploads and sticker packs will leave them.
      const upload = async (owner: TestUser) =>
        (await server.db.prisma.media.create({
          data: { ownerId: owner.id, purpose: 'STICKER', mime: 'image/webp', bytes: 1, storageKey: `test/${randomBytes(8).toString('hex')}`, sha256: '0'.repeat(64) },
        })).id;
      media = { mine: await upload(doomed), admins: await upload(admin) };
      const pack = async (owner: TestUser, mediaIds: string[]) =>
        (await server.db.prisma.stickerPack.create({ data: { ownerId: owner.id, title: 'Pack', slug: randomBytes(8).toString('hex'), stickers: { create: mediaIds.map((mediaId) => ({ mediaId, emoji: '🙂' })) } } })).id;
      // The admin's pack holds a sticker made from the doomed's upload: stickers.media_id is RESTRICT.
      packs = { mine: await pack(doomed, [media.mine]), admins: await pack(admin, [media.mine, media.admins]) };
      await server.db.prisma.message.update({ where: { id: ownedMessage }, data: { mediaId: media.mine } });
      await server.db.prisma.conversation.update({ where: { id: owned }, data: { avatarId: media.mine } });

      for (const user of [admin, member, partner]) streams.set(user, await connect(server, user));
      const other = server.socket({ token: ok(await login(server, doomed.username)).login.token });
      await other.connected;
      doomedSockets = [(await connect(server, doomed)).closed, other.closed];
      answer = await deleteAccount(doomed, { password: PASSWORD });
    });

    const event = (user: TestUser, match: (e: TestEvent) => boolean) => streams.get(user)!.stream.next(match);

    it('answers true, ends every session (sockets close with 4401), and the name and password no longer sign in', async () => {
      expect(ok(answer)).toEqual({ deleteAccount: true });
      expect((await Promise.all(doomedSockets)).map((close) => close.code)).toEqual([4401, 4401]);
      expect(codeOf(await server.gql('{ me { id } }', {}, doomed.token))).toBe('UNAUTHENTICATED');
      expect(codeOf(await login(server, doomed.username))).toBe('UNAUTHENTICATED');
      expect(await server.db.prisma.session.count({ where: { userId: doomed.id } })).toBe(0);
    });

    it('leaves their groups as leaving does: the others see them leave, and an owned group gets a new owner', async () => {
      for (const user of [admin, member]) {
        const left = await event(user, (e) => e.__typename === 'MemberLeftEvent' && e.conversationId === owned);
        expect(left).toMatchObject({ userId: doomed.id, message: { kind: 'SYSTEM', sender: null, event: { type: 'MEMBER_LEFT', users: [] } } });
        const handover = await event(user, (e) => e.__typename === 'MemberRoleChangedEvent' && e.conversationId === owned);
        expect(handover).toMatchObject({ userId: admin.id, role: 'OWNER', seq: left.seq! + 1 });
      }
      expect(await event(admin, (e) => e.__typename === 'MemberLeftEvent' && e.conversationId === joined)).toMatchObject({ userId: doomed.id });

      const group = ok(await server.gql<{ conversation: { myRole: string; members: { role: string; user: { id: string } }[] } }>(
        'query($id: ID!) { conversation(id: $id) { myRole members { role user { id } } } }', { id: owned }, admin.token)).conversation;
      expect(group.myRole).toBe('OWNER');
      expect(group.members.map((m) => m.user.id).sort()).toEqual([admin.id, member.id].sort());
      expect(await server.db.prisma.conversation.findUnique({ where: { id: alone } })).toBeNull();
    });

    it('keeps what they said in the others\' history, from a deleted account (sender: null)', async () => {
      const messages = await history(member, owned);
      expect(messages.find((m) => m.id === ownedMessage)).toMatchObject({ body: 'my words stay', sender: null });
      expect(messages.at(-2)).toMatchObject({ kind: 'SYSTEM', sender: null, event: { type: 'MEMBER_LEFT', users: [] } });
      expect(messages.every((m) => m.sender === null || m.sender.id !== doomed.id)).toBe(true);
      // The group they created stays, created by no one now.
      expect(await server.db.prisma.conversation.findUniqueOrThrow({ where: { id: owned } })).toMatchObject({ createdById: null, avatarId: null });
    });

    it('keeps the direct conversation for the other person, with the history', async () => {
      const { conversations } = ok(await server.gql<{ conversations: { nodes: { id: string; otherUser: { id: string } | null }[] } }>(
        '{ conversations { nodes { id otherUser { id } } } }', {}, partner.token));
      expect(conversations.nodes.find((c) => c.id === direct)).toEqual({ id: direct, otherUser: null });
      const messages = await history(partner, direct);
      expect(messages.map((m) => [m.body, m.sender?.id ?? null])).toEqual([['hello from the doomed', null], ['hello back', partner.id]]);
      expect(messages[0]!.id).toBe(directMessage);
    });

    it('removes contacts and blocks of and by them', async () => {
      const { prisma } = server.db;
      expect(await prisma.contact.count({ where: { OR: [{ ownerId: doomed.id }, { contactId: doomed.id }] } })).toBe(0);
      expect(await prisma.block.count({ where: { OR: [{ blockerId: doomed.id }, { blockedId: doomed.id }] } })).toBe(0);
      expect(ok(await run(server, admin, 'contacts')).contacts).toEqual([]);
      expect(ok(await run(server, blocker, 'blockedUsers')).blockedUsers).toEqual([]);
    });

    it('takes their uploads and sticker packs; what showed them keeps the rest', async () => {
      const { prisma } = server.db;
      expect(await prisma.media.count({ where: { ownerId: doomed.id } })).toBe(0);
      expect(await prisma.stickerPack.findUnique({ where: { id: packs.mine } })).toBeNull();
      const theirs = await prisma.sticker.findMany({ where: { packId: packs.admins }, select: { mediaId: true } });
      expect(theirs).toEqual([{ mediaId: media.admins }]);
      expect(await prisma.message.findUniqueOrThrow({ where: { id: ownedMessage } })).toMatchObject({ mediaId: null, senderId: null, body: 'my words stay' });
    });

    it('frees the user name and the email for a new account', async () => {
      const successor = await registerUser(server, { username: doomed.username.toUpperCase(), email: doomed.email });
      expect(successor.id).not.toBe(doomed.id);
    });
  });
});
