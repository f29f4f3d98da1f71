import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, PASSWORD, registerUser, uniqueName, type TestUser } from '../../../test/factories.js';
import { accountState, nextMail, PUBLIC_URL, startMailingServer, tokenOf, withStoppedClock, type MailingServer } from '../../../test/mailed-links.js';
import type { GraphQLResponse, TestServer } from '../../../test/server.js';
import { CHANGE_PASSWORD, CONFIRM_EMAIL_CHANGE, REQUEST_EMAIL_CHANGE, REQUEST_RESET as REQUEST, SUBJECTS } from '../../../test/account-operations.js';

const RESET = 'mutation($input: ResetPasswordInput!) { resetPassword(input: $input) { token session { id } me { id emailVerified } } }';
const NEW_PASSWORD = 'a brand new passphrase';

type ResetResult = { resetPassword: { token: string; session: { id: string }; me: { id: string; emailVerified: boolean } } };

let mailing: MailingServer;
let server: TestServer;
beforeAll(async () => {
  mailing = await startMailingServer();
  server = mailing.server;
});
afterAll(() => mailing.close());

const requestReset = (loginName: string, env = server) => env.gql(REQUEST, { login: loginName });
const reset = (token: string, newPassword = NEW_PASSWORD) => server.gql<ResetResult>(RESET, { input: { token, newPassword } });
const codeOf = (result: GraphQLResponse) => result.errors?.[0]?.extensions.code;

/** Asks for a reset link for `user` and returns its mail. */
async function resetMail(user: TestUser, env = mailing) {
  expect((await requestReset(user.username, env.server)).data).toEqual({ requestPasswordReset: true });
  return nextMail(env.catcher, user.email, SUBJECTS.reset);
}

describe('requestPasswordReset', () => {
  it('answers true alike for a user name, an email and names nobody has, and mails only the account', async () => {
    const user = await registerUser(server);
    const ghost = uniqueName('ghost');
    const answers = [];
    for (const name of [`${ghost}@example.test`, ghost, user.username, user.email.toUpperCase()]) answers.push(await requestReset(name));
    for (const answer of answers) expect(answer).toEqual({ data: { requestPasswordReset: true } });

    // The mails for the account were asked for after the ghost's: once they are here, a mail
    // to the ghost would have been too.
    const [byName, byEmail] = [await nextMail(mailing.catcher, user.email, SUBJECTS.reset), await nextMail(mailing.catcher, user.email, SUBJECTS.reset)];
    expect(mailing.catcher.to(`${ghost}@example.test`)).toEqual([]);
    expect(tokenOf(byName)).not.toBe(tokenOf(byEmail));
  });

  it('mails a link from PUBLIC_URL in both parts, whatever Host the request named', async () => {
    const user = await registerUser(server);
    const body = JSON.stringify({ query: REQUEST, variables: { login: user.username } });
    const answer = await new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${server.url}/graphql`, {
        method: 'POST',
        headers: { host: 'attacker.example', 'x-forwarded-host': 'attacker.example', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(JSON.parse(answer)).toEqual({ data: { requestPasswordReset: true } });
    const mail = await nextMail(mailing.catcher, user.email, SUBJECTS.reset);
    expect(mail.link).toMatch(new RegExp(`^${PUBLIC_URL}/reset-password#token=[\\w-]{43}$`));
    expect(mail.text).toContain(mail.link);
    expect(mail.html).toContain(`href="${mail.link}"`);
    expect(mail.text + mail.html).not.toContain('attacker.example');
    expect(mail.text).toContain('30 minutes');
  });

  it('mails in the account’s language', async () => {
    const user = await registerUser(server);
    await server.gql('mutation { updateProfile(input: { locale: "ru" }) { id } }', {}, user.token);
    await requestReset(user.email);
    const mail = await nextMail(mailing.catcher, user.email, 'Сброс пароля Dash');
    // Not confirmed yet: the greeting names nobody (account.mailer.test.ts).
    expect(mail.text).toMatch(/^Здравствуйте!\n/);
    expect(mail.text).toContain(mail.link);
    expect(mail.html).toContain(mail.link);
  });

  it('refuses an empty or over-long name with BAD_USER_INPUT on login', async () => {
    for (const name of ['', '   ', 'x'.repeat(255), 'lone \uD800 surrogate']) {
      const result = await requestReset(name);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'login' }] });
    }
  });
});

describe('resetPassword', () => {
  it('sets the password once, ends every session and closes its sockets, and signs in', async () => {
    const user = await registerUser(server);
    const other = (await login(server, user.username)).data!.login;
    const socket = server.socket({ token: other.token });
    await socket.connected;

    const token = tokenOf(await resetMail(user));
    const result = await reset(token);
    expect(result.errors).toBeUndefined();
    const signedIn = result.data!.resetPassword;
    expect(signedIn.me).toEqual({ id: user.id, emailVerified: true });

    expect((await socket.closed).code).toBe(4401);
    for (const old of [user.token, other.token]) expect(codeOf(await server.gql('{ me { id } }', {}, old))).toBe('UNAUTHENTICATED');
    expect((await server.gql('{ me { id } }', {}, signedIn.token)).data).toEqual({ me: { id: user.id } });
    const sessions = await server.db.prisma.session.findMany({ where: { userId: user.id }, select: { id: true } });
    expect(sessions).toEqual([{ id: signedIn.session.id }]);

    expect(codeOf(await login(server, user.username, PASSWORD))).toBe('UNAUTHENTICATED');
    expect((await login(server, user.username, NEW_PASSWORD)).data?.login.me.id).toBe(user.id);
    expect(codeOf(await reset(token, 'yet another passphrase'))).toBe('INVALID_TOKEN');

    const notice = await nextMail(mailing.catcher, user.email, 'Your Dash password was changed');
    expect(notice.text).toContain('was changed');
  });

  it('refuses a weak password with BAD_USER_INPUT on newPassword, writing nothing and keeping the link', async () => {
    const user = await registerUser(server);
    const token = tokenOf(await resetMail(user));
    const before = await accountState(server, user.id);
    for (const weak of ['short', 'password', `my ${user.username} pass`, 'x'.repeat(129), 'lone \uDC00 surrogate!']) {
      const result = await reset(token, weak);
      expect(result.errors?.[0]?.extensions, weak).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'newPassword' }] });
      expect(await accountState(server, user.id)).toEqual(before);
    }
    expect(codeOf(await reset(token))).toBeUndefined();
  });

  it('refuses a link superseded by a newer one, and an unknown or garbled token, writing nothing', async () => {
    const user = await registerUser(server);
    const first = tokenOf(await resetMail(user));
    const second = tokenOf(await resetMail(user));
    const before = await accountState(server, user.id);
    const unknown = `${second.slice(0, -1)}${second.endsWith('A') ? 'B' : 'A'}`;
    for (const token of [first, unknown, '', 'not a token']) {
      expect(codeOf(await reset(token))).toBe('INVALID_TOKEN');
      expect(await accountState(server, user.id)).toEqual(before);
    }
    expect(codeOf(await reset(second))).toBeUndefined();
  });

  it('refuses a link older than 30 minutes, writing nothing', async () => {
    const user = await registerUser(server);
    const token = tokenOf(await resetMail(user));
    const before = await accountState(server, user.id);
    await withStoppedClock(async (advanceSeconds) => {
      advanceSeconds(30 * 60 + 1);
      expect(codeOf(await reset(token))).toBe('INVALID_TOKEN');
    });
    expect(await accountState(server, user.id)).toEqual(before);
  });

  it('voids a pending email change: whoever asked for it may have known the old password', async () => {
    const user = await registerUser(server);
    const newEmail = `${uniqueName('moved')}@example.test`;
    const change = await server.gql(REQUEST_EMAIL_CHANGE, { input: { newEmail, password: PASSWORD } }, user.token);
    expect(change.errors).toBeUndefined();
    const confirmation = await nextMail(mailing.catcher, newEmail, 'Confirm your new email for Dash');
    expect(codeOf(await reset(tokenOf(await resetMail(user))))).toBeUndefined();
    expect(codeOf(await server.gql(CONFIRM_EMAIL_CHANGE, { token: tokenOf(confirmation) }))).toBe('INVALID_TOKEN');
  });

  it('asks for the second step when the account has two-factor sign-in on, with the password set and sessions ended', async () => {
    const user = await registerUser(server);
    await server.db.prisma.user.update({ where: { id: user.id }, data: { totpEnabledAt: new Date() } });
    const result = await reset(tokenOf(await resetMail(user)));
    expect(codeOf(result)).toBe('TWO_FACTOR_REQUIRED');
    expect(await server.db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    expect(codeOf(await login(server, user.username, PASSWORD))).toBe('UNAUTHENTICATED');
  });
});

describe('links that stop working', () => {
  it('a reset link mailed to the old address, once a new address is confirmed', async () => {
    const user = await registerUser(server);
    const link = tokenOf(await resetMail(user));
    const wanted = `${uniqueName('moved')}@example.test`;
    await server.gql(REQUEST_EMAIL_CHANGE, { input: { newEmail: wanted, password: PASSWORD } }, user.token);
    const confirm = await nextMail(mailing.catcher, wanted, SUBJECTS.confirm);
    expect((await server.gql(CONFIRM_EMAIL_CHANGE, { token: tokenOf(confirm) })).data).toEqual({ confirmEmailChange: true });
    const before = await accountState(server, user.id);
    expect(codeOf(await reset(link))).toBe('INVALID_TOKEN');
    expect(await accountState(server, user.id)).toEqual(before);
  });

  it('a reset link, once the password was changed in the settings', async () => {
    const user = await registerUser(server);
    const link = tokenOf(await resetMail(user));
    const changed = await server.gql(CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: 'another fine passphrase' } }, user.token);
    expect(changed.errors).toBeUndefined();
    expect(codeOf(await reset(link))).toBe('INVALID_TOKEN');
  });
});

describe('reset rate limits', () => {
  it('mail nothing past the account’s budget yet answer true; limit the caller’s address with RATE_LIMITED; recover', async () => {
    const limited = await startMailingServer({ RATE_LIMIT_RESET_PER_IP: '5/1h', RATE_LIMIT_MAIL_PER_ACCOUNT: '3/1h' });
    try {
      const [user, fence] = [await registerUser(limited.server), await registerUser(limited.server)];
      await withStoppedClock(async (advanceSeconds) => {
        // The registration's verification link spent one of the account's three mails.
        for (let i = 0; i < 3; i++) expect((await requestReset(user.username, limited.server)).data).toEqual({ requestPasswordReset: true });
        await resetMail(fence, limited);
        await nextMail(limited.catcher, user.email, SUBJECTS.reset);
        await nextMail(limited.catcher, user.email, SUBJECTS.reset);
        expect(limited.catcher.to(user.email).filter((mail) => mail.subject === SUBJECTS.reset)).toHaveLength(2);

        expect((await requestReset(uniqueName('ghost'), limited.server)).data).toEqual({ requestPasswordReset: true });
        const refused = await requestReset(user.username, limited.server);
        expect(refused.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 3600 });

        advanceSeconds(3600);
        await resetMail(user, limited);
      });
    } finally {
      await limited.close();
    }
  });
});
