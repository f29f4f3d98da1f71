import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, PASSWORD, registerUser, uniqueName, type TestUser } from '../../../test/factories.js';
import { accountState, nextMail, PUBLIC_URL, startMailingServer, tokenOf, withStoppedClock, type MailingServer } from '../../../test/mailed-links.js';
import type { GraphQLResponse, TestServer } from '../../../test/server.js';
import { CONFIRM_EMAIL_CHANGE as CONFIRM_CHANGE, REQUEST_EMAIL_CHANGE as REQUEST_CHANGE, RESEND_VERIFICATION as RESEND, SUBJECTS, VERIFY_EMAIL as VERIFY } from '../../../test/account-operations.js';

const ME = '{ me { email emailVerified pendingEmail } }';

let mailing: MailingServer;
let server: TestServer;
beforeAll(async () => {
  mailing = await startMailingServer();
  server = mailing.server;
});
afterAll(() => mailing.close());

const codeOf = (result: GraphQLResponse) => result.errors?.[0]?.extensions.code;
const me = async (user: TestUser) => (await server.gql<{ me: { email: string; emailVerified: boolean; pendingEmail: string | null } }>(ME, {}, user.token)).data?.me;
const requestChange = (user: TestUser, newEmail: string, password = PASSWORD, env = server) => env.gql(REQUEST_CHANGE, { input: { newEmail, password } }, user.token);
const newAddress = () => `${uniqueName('new')}@example.test`;

describe('email verification', () => {
  it('mails a link at registration that confirms the address without a session, once', async () => {
    const user = await registerUser(server);
    const mail = await nextMail(mailing.catcher, user.email, SUBJECTS.verify);
    expect(mail.link).toMatch(new RegExp(`^${PUBLIC_URL}/verify-email#token=[\\w-]{43}$`));
    expect(mail.text).toContain(mail.link);
    expect(mail.html).toContain(`href="${mail.link}"`);
    expect((await me(user))?.emailVerified).toBe(false);

    expect((await server.gql(VERIFY, { token: tokenOf(mail) })).data).toEqual({ verifyEmail: true });
    expect((await me(user))?.emailVerified).toBe(true);
    expect(codeOf(await server.gql(VERIFY, { token: tokenOf(mail) }))).toBe('INVALID_TOKEN');
  });

  it('mails a new link on request that supersedes the first; none once the address is confirmed', async () => {
    const user = await registerUser(server);
    const first = await nextMail(mailing.catcher, user.email, SUBJECTS.verify);
    expect((await server.gql(RESEND, {}, user.token)).data).toEqual({ resendVerificationEmail: true });
    const second = await nextMail(mailing.catcher, user.email, SUBJECTS.verify);
    const before = await accountState(server, user.id);
    expect(codeOf(await server.gql(VERIFY, { token: tokenOf(first) }))).toBe('INVALID_TOKEN');
    expect(await accountState(server, user.id)).toEqual(before);
    expect(codeOf(await server.gql(VERIFY, { token: tokenOf(second) }))).toBeUndefined();

    expect((await server.gql(RESEND, {}, user.token)).data).toEqual({ resendVerificationEmail: true });
    // A fence: a mail asked for afterwards has arrived, so one for the confirmed address would have too.
    const other = await registerUser(server);
    await nextMail(mailing.catcher, other.email, SUBJECTS.verify);
    expect(mailing.catcher.to(user.email)).toHaveLength(2);
    expect(codeOf(await server.gql(RESEND))).toBe('UNAUTHENTICATED');
  });

  it('mails in the account’s language', async () => {
    const user = await registerUser(server);
    await nextMail(mailing.catcher, user.email, SUBJECTS.verify);
    await server.gql('mutation { updateProfile(input: { locale: "ru" }) { id } }', {}, user.token);
    await server.gql(RESEND, {}, user.token);
    const mail = await nextMail(mailing.catcher, user.email, 'Подтвердите адрес почты в Dash');
    expect(mail.text).toContain('Подтвердить адрес');
    expect(mail.text).toContain(mail.link);
    expect(mail.html).toContain(mail.link);
  });

  it('refuses a link for an address the account no longer has, writing nothing', async () => {
    const user = await registerUser(server);
    const stale = await nextMail(mailing.catcher, user.email, SUBJECTS.verify);
    const moved = newAddress();
    await requestChange(user, moved);
    await server.gql(CONFIRM_CHANGE, { token: tokenOf(await nextMail(mailing.catcher, moved, SUBJECTS.confirm)) });
    await server.db.prisma.user.update({ where: { id: user.id }, data: { emailVerifiedAt: null } });
    const before = await accountState(server, user.id);
    expect(codeOf(await server.gql(VERIFY, { token: tokenOf(stale) }))).toBe('INVALID_TOKEN');
    expect(await accountState(server, user.id)).toEqual(before);
  });

  it('limits links per account (RATE_LIMITED), and recovers', async () => {
    const limited = await startMailingServer({ RATE_LIMIT_MAIL_PER_ACCOUNT: '2/1h' });
    try {
      const user = await registerUser(limited.server);
      await withStoppedClock(async (advanceSeconds) => {
        // The registration's link was the first of two.
        expect((await limited.server.gql(RESEND, {}, user.token)).data).toEqual({ resendVerificationEmail: true });
        expect((await limited.server.gql(RESEND, {}, user.token)).errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
        advanceSeconds(3600);
        expect((await limited.server.gql(RESEND, {}, user.token)).data).toEqual({ resendVerificationEmail: true });
      });
      for (let i = 0; i < 3; i++) await nextMail(limited.catcher, user.email, SUBJECTS.verify);
    } finally {
      await limited.close();
    }
  });
});

describe('email change', () => {
  it('mails a link to the new address, which becomes the account’s, confirmed; the old one hears of it', async () => {
    const user = await registerUser(server);
    const wanted = `${uniqueName('New')}@Example.Test`;
    expect((await requestChange(user, wanted)).data).toEqual({ requestEmailChange: true });
    expect(await me(user)).toEqual({ email: user.email, emailVerified: false, pendingEmail: wanted.toLowerCase() });

    const mail = await nextMail(mailing.catcher, wanted, SUBJECTS.confirm);
    expect(mail.link).toMatch(new RegExp(`^${PUBLIC_URL}/confirm-email#token=[\\w-]{43}$`));
    expect(mail.text).toContain(mail.link);
    expect(mail.html).toContain(`href="${mail.link}"`);
    expect(mailing.catcher.to(user.email).filter((m) => m.subject === SUBJECTS.confirm)).toEqual([]);

    expect((await server.gql(CONFIRM_CHANGE, { token: tokenOf(mail) })).data).toEqual({ confirmEmailChange: true });
    expect(await me(user)).toEqual({ email: wanted.toLowerCase(), emailVerified: true, pendingEmail: null });
    const notice = await nextMail(mailing.catcher, user.email, SUBJECTS.changed);
    expect(notice.text).toContain(wanted.toLowerCase());
    expect((await login(server, wanted)).data?.login.me.id).toBe(user.id);
    expect(codeOf(await server.gql(CONFIRM_CHANGE, { token: tokenOf(mail) }))).toBe('INVALID_TOKEN');
  });

  it('mails both in the account’s language', async () => {
    const user = await registerUser(server);
    await server.gql('mutation { updateProfile(input: { locale: "ru" }) { id } }', {}, user.token);
    const wanted = newAddress();
    await requestChange(user, wanted);
    const mail = await nextMail(mailing.catcher, wanted, 'Подтвердите новый адрес почты в Dash');
    expect(mail.html).toContain(mail.link);
    await server.gql(CONFIRM_CHANGE, { token: tokenOf(mail) });
    expect((await nextMail(mailing.catcher, user.email, 'Адрес почты в Dash изменён')).text).toContain(wanted);
  });

  it('refuses bad input naming the field, a wrong password and a taken address, writing and mailing nothing', async () => {
    const user = await registerUser(server);
    const taken = await registerUser(server);
    const before = await accountState(server, user.id);
    const wanted = newAddress();
    const cases: [string, string, string, string][] = [
      [wanted, 'not my password', 'BAD_USER_INPUT', 'password'],
      [wanted, '', 'BAD_USER_INPUT', 'password'],
      ['not an address', PASSWORD, 'BAD_USER_INPUT', 'newEmail'],
      [`${'x'.repeat(250)}@example.test`, PASSWORD, 'BAD_USER_INPUT', 'newEmail'],
      // validator.js's isEmail throws on an unpaired surrogate rather than answer.
      ['eve@exa\uD800mple.test', PASSWORD, 'BAD_USER_INPUT', 'newEmail'],
      [user.email.toUpperCase(), PASSWORD, 'BAD_USER_INPUT', 'newEmail'],
      [taken.email.toUpperCase(), PASSWORD, 'CONFLICT', 'newEmail'],
    ];
    for (const [newEmail, password, code, field] of cases) {
      const result = await requestChange(user, newEmail, password);
      expect(result.errors?.[0]?.extensions, `${newEmail} / ${password}`).toMatchObject({ code, fields: [{ field }] });
      expect(await accountState(server, user.id)).toEqual(before);
    }
    expect(codeOf(await server.gql(REQUEST_CHANGE, { input: { newEmail: wanted, password: PASSWORD } }))).toBe('UNAUTHENTICATED');
    // A fence: a mail asked for afterwards has arrived, so any to these addresses would have too.
    await requestChange(user, wanted);
    await nextMail(mailing.catcher, wanted, SUBJECTS.confirm);
    expect(mailing.catcher.to(taken.email).filter((m) => m.subject === SUBJECTS.confirm)).toEqual([]);
    expect(mailing.catcher.to(wanted)).toHaveLength(1);
  });

  it('answers CONFLICT on newEmail if another account took the address meanwhile, writing nothing and keeping the link', async () => {
    const user = await registerUser(server);
    const wanted = newAddress();
    await requestChange(user, wanted);
    const token = tokenOf(await nextMail(mailing.catcher, wanted, SUBJECTS.confirm));
    const quicker = await registerUser(server, { email: wanted });
    const before = await accountState(server, user.id);
    const result = await server.gql(CONFIRM_CHANGE, { token });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'newEmail' }] });
    expect(await accountState(server, user.id)).toEqual(before);

    await server.db.prisma.user.delete({ where: { id: quicker.id } });
    expect((await server.gql(CONFIRM_CHANGE, { token })).data).toEqual({ confirmEmailChange: true });
  });

  it('counts asking about a taken address against the account’s mail budget, so it is no free lookup of who has an account', async () => {
    // Three: the welcome mail at registration spends one.
    const limited = await startMailingServer({ RATE_LIMIT_MAIL_PER_ACCOUNT: '3/1h' });
    try {
      const user = await registerUser(limited.server);
      const [a, b, c] = [await registerUser(limited.server), await registerUser(limited.server), await registerUser(limited.server)];
      for (const taken of [a, b]) expect(codeOf(await requestChange(user, taken.email, PASSWORD, limited.server))).toBe('CONFLICT');
      expect(codeOf(await requestChange(user, c.email, PASSWORD, limited.server))).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  it('limits the links mailed to one address, from however many accounts', async () => {
    const limited = await startMailingServer({ RATE_LIMIT_MAIL_PER_ACCOUNT: '2/1h' });
    try {
      const wanted = newAddress();
      const [a, b, c] = [await registerUser(limited.server), await registerUser(limited.server), await registerUser(limited.server)];
      for (const user of [a, b]) expect((await requestChange(user, wanted, PASSWORD, limited.server)).data).toEqual({ requestEmailChange: true });
      expect((await requestChange(c, wanted, PASSWORD, limited.server)).errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
      for (let i = 0; i < 2; i++) await nextMail(limited.catcher, wanted, SUBJECTS.confirm);
    } finally {
      await limited.close();
    }
  });
});
