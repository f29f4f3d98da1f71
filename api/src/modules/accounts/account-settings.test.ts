import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, wsQuery, type GraphQLResponse, type TestServer } from '../../../test/server.js';
import { login, PASSWORD, registerUser, uniqueName, type TestUser } from '../../../test/factories.js';
import { expectBadInput, expectOutcome } from '../../../test/authz-fixtures.js';
import { startMailCatcher, type MailCatcher } from '../../../test/mail.js';
import { ok } from '../../../test/messenger.js';
import { CHANGE_PASSWORD } from '../../../test/account-operations.js';

let server: TestServer;
let mail: MailCatcher;
beforeAll(async () => {
  mail = await startMailCatcher();
  server = await startTestServer({}, { SMTP_URL: mail.url });
});
afterAll(async () => {
  await server.close();
  await mail.close();
});

const CHANGE_USERNAME = 'mutation($input: ChangeUsernameInput!) { changeUsername(input: $input) { id username } }';
const SIGN_OUT_OTHERS = 'mutation { signOutOtherSessions }';
const ME = '{ me { id username } }';
const NEW_PASSWORD = 'a brand new passphrase';

const changePassword = (user: TestUser, currentPassword: string, newPassword: string) =>
  server.gql<{ changePassword: boolean }>(CHANGE_PASSWORD, { input: { currentPassword, newPassword } }, user.token);
const changeUsername = (user: TestUser, username: string, on = server) =>
  on.gql<{ changeUsername: { id: string; username: string } }>(CHANGE_USERNAME, { input: { username } }, user.token);
const codeOf = (result: GraphQLResponse) => result.errors?.[0]?.extensions.code ?? 'ok';

/** What a refused change must leave as it was: the account's row and its sessions. */
async function accountState(user: TestUser) {
  const row = await server.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
  const sessions = await server.db.prisma.session.findMany({ where: { userId: user.id }, select: { id: true }, orderBy: { id: 'asc' } });
  return { row: { ...row, updatedAt: null }, sessions };
}

/** Two more sessions of `user`'s, one with a live socket. */
async function otherSessions(user: TestUser) {
  const [second, third] = [ok(await login(server, user.username)).login, ok(await login(server, user.username)).login];
  const socket = server.socket({ token: second.token });
  await socket.connected;
  return { second, third, socket };
}

describe('changePassword', () => {
  it('ends every other session (their sockets close with 4401) and keeps this one; the old password no longer signs in, the new one does; a mail tells the account', async () => {
    const user = await registerUser(server);
    const mine = server.socket({ token: user.token });
    await mine.connected;
    const { second, third, socket } = await otherSessions(user);

    expect(ok(await changePassword(user, PASSWORD, NEW_PASSWORD))).toEqual({ changePassword: true });

    expect((await socket.closed).code).toBe(4401);
    for (const token of [second.token, third.token]) expect(codeOf(await server.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
    expect(ok(await server.gql(ME, {}, user.token))).toEqual({ me: { id: user.id, username: user.username } });
    expect((await wsQuery<{ me: { id: string } }>(mine.client, '{ me { id } }')).data?.me.id).toBe(user.id);
    expect(codeOf(await login(server, user.username, PASSWORD))).toBe('UNAUTHENTICATED');
    expect(ok(await login(server, user.username, NEW_PASSWORD)).login.me.id).toBe(user.id);

    const sent = await mail.next((m) => m.to.includes(user.email) && /password was changed/.test(m.subject));
    expect(sent.text).toContain('every other session was signed out');
  });

  it('refuses a wrong current password (BAD_USER_INPUT on currentPassword) and writes nothing', async () => {
    const user = await registerUser(server);
    await otherSessions(user);
    const before = await accountState(user);
    for (const current of ['not my password', `${PASSWORD} `]) expectBadInput(await changePassword(user, current, NEW_PASSWORD), 'currentPassword');
    expectBadInput(await changePassword(user, '', NEW_PASSWORD), 'currentPassword');
    expect(await accountState(user)).toEqual(before);
    expect(codeOf(await login(server, user.username, PASSWORD))).toBe('ok');
  });

  it('refuses a new password the registration would refuse, or the current one (BAD_USER_INPUT on newPassword), and writes nothing', async () => {
    const user = await registerUser(server);
    const before = await accountState(user);
    const weak = ['short', 'x'.repeat(129), 'password123', `my name is ${user.username}`, 'lone \uD800 surrogate', PASSWORD];
    for (const newPassword of weak) expectBadInput(await changePassword(user, PASSWORD, newPassword), 'newPassword');
    expect(await accountState(user)).toEqual(before);
  });
});

describe('changeUsername', () => {
  it('renames the account: the new name signs in and is found, the old one is free for someone else at once', async () => {
    const [user, friend] = await Promise.all([registerUser(server), registerUser(server)]);
    const renamed = uniqueName('Renamed');
    expect(ok(await changeUsername(user, renamed))).toEqual({ changeUsername: { id: user.id, username: renamed } });

    expect(ok(await login(server, renamed.toLowerCase())).login.me).toEqual({ id: user.id, username: renamed });
    const found = ok(await server.gql<{ searchUsers: { id: string; username: string }[] }>(
      'query($q: String!) { searchUsers(query: $q) { id username } }', { q: renamed }, friend.token));
    expect(found.searchUsers).toEqual([{ id: user.id, username: renamed }]);
    expect(ok(await server.gql('query($u: String!) { user(username: $u) { id } }', { u: user.username }, friend.token))).toEqual({ user: null });

    const successor = await registerUser(server, { username: user.username, email: `${uniqueName()}@example.test` });
    expect(successor.id).not.toBe(user.id);
  });

  it('answers CONFLICT for a name taken in any case, also when two want it at once, and writes nothing', async () => {
    const [user, holder] = await Promise.all([registerUser(server), registerUser(server)]);
    const before = await accountState(user);
    for (const taken of [holder.username, holder.username.toUpperCase()]) {
      const result = await changeUsername(user, taken);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'username' }] });
    }
    expect(await accountState(user)).toEqual(before);

    const contested = uniqueName();
    const [renaming, registering] = await Promise.all([
      changeUsername(user, contested),
      server.gql('mutation($input: RegisterInput!) { register(input: $input) { me { id } } }', {
        input: { username: contested.toUpperCase(), email: `${uniqueName()}@example.test`, password: PASSWORD },
      }),
    ]);
    expect([codeOf(renaming), codeOf(registering)].sort()).toEqual(['CONFLICT', 'ok']);
    expect(await server.db.prisma.user.count({ where: { username: contested } })).toBe(1);
  });

  it('takes the same name again as no change, and the same name in other letters as a change', async () => {
    const user = await registerUser(server);
    const before = await accountState(user);
    expect(ok(await changeUsername(user, user.username)).changeUsername.username).toBe(user.username);
    expect(await accountState(user)).toEqual(before);
    const capitalized = user.username.toUpperCase();
    expect(ok(await changeUsername(user, capitalized)).changeUsername.username).toBe(capitalized);
    expect(ok(await server.gql(ME, {}, user.token))).toEqual({ me: { id: user.id, username: capitalized } });
  });

  it('refuses a name the registration would refuse (BAD_USER_INPUT on username) and writes nothing', async () => {
    const user = await registerUser(server);
    const before = await accountState(user);
    for (const bad of ['ab', 'x'.repeat(33), 'has space', 'dash-ed', 'ünï', '@handle', '']) expectBadInput(await changeUsername(user, bad), 'username');
    expect(await accountState(user)).toEqual(before);
  });

  it('is limited per account (RATE_LIMITED with retryAfter), counting only changes made, and recovers when the window ends', async () => {
    const limited = await startTestServer({}, { RATE_LIMIT_USERNAME_CHANGE_PER_ACCOUNT: '2/1h' });
    let now = Date.now();
    // Only Date moves (the limiter measures its window with it); timers, PostgreSQL and HTTP keep real time.
    vi.setSystemTime(now);
    try {
      const [user, holder] = await Promise.all([registerUser(limited), registerUser(limited)]);
      expect(codeOf(await changeUsername(user, holder.username, limited))).toBe('CONFLICT');
      for (let i = 0; i < 2; i++) expect(codeOf(await changeUsername(user, uniqueName(), limited))).toBe('ok');
      const refused = await changeUsername(user, uniqueName(), limited);
      expect(refused.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 3600 });
      // Another account has its own budget.
      expect(codeOf(await changeUsername(holder, uniqueName(), limited))).toBe('ok');

      vi.setSystemTime((now += 3600_000));
      const again = uniqueName();
      expect(ok(await changeUsername(user, again, limited)).changeUsername.username).toBe(again);
    } finally {
      vi.useRealTimers();
      await limited.close();
    }
  });
});

describe('signOutOtherSessions', () => {
  it('ends every other session of the caller (sockets close with 4401) and says how many', async () => {
    const [user, bystander] = await Promise.all([registerUser(server), registerUser(server)]);
    const { second, third, socket } = await otherSessions(user);
    expect(ok(await server.gql(SIGN_OUT_OTHERS, {}, user.token))).toEqual({ signOutOtherSessions: 2 });
    expect((await socket.closed).code).toBe(4401);
    for (const token of [second.token, third.token]) expect(codeOf(await server.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
    const sessions = ok(await server.gql<{ sessions: { id: string }[] }>('{ sessions { id } }', {}, user.token)).sessions;
    expect(sessions.map((s) => s.id)).toEqual([user.sessionId]);
    expect(ok(await server.gql(SIGN_OUT_OTHERS, {}, user.token))).toEqual({ signOutOtherSessions: 0 });
    expect(codeOf(await server.gql(ME, {}, bystander.token))).toBe('ok');
  });
});

describe('without a session', () => {
  it.each([
    ['changePassword', CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }],
    ['changeUsername', CHANGE_USERNAME, { input: { username: uniqueName() } }],
    ['signOutOtherSessions', SIGN_OUT_OTHERS, {}],
    ['deleteAccount', 'mutation($input: DeleteAccountInput!) { deleteAccount(input: $input) }', { input: { password: PASSWORD } }],
  ])('%s answers UNAUTHENTICATED, with no token and with an ended session', async (_name, document, variables) => {
    const ended = await registerUser(server);
    ok(await server.gql('mutation { logout }', {}, ended.token));
    const before = await accountState(ended);
    for (const token of [undefined, ended.token]) expectOutcome(await server.gql(document, variables, token), 'UNAUTHENTICATED');
    expect(await accountState(ended)).toEqual(before);
  });
});
