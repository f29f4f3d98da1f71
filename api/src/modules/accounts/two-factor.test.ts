import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../../test/server.js';
import { login, registerUser, type TestUser } from '../../../test/factories.js';
import { CHALLENGE_TTL_MS } from './two-factor.challenges.js';
import { CHANGE_PASSWORD } from '../../../test/account-operations.js';

const BEGIN = 'mutation($input: BeginTwoFactorSetupInput!) { beginTwoFactorSetup(input: $input) { secret otpauthUri } }';
const CONFIRM = 'mutation($code: String!) { confirmTwoFactorSetup(code: $code) { codes } }';
const COMPLETE = 'mutation($input: CompleteLoginInput!) { completeLogin(input: $input) { token me { id twoFactorEnabled recoveryCodesLeft } } }';
const DISABLE = 'mutation($input: DisableTwoFactorInput!) { disableTwoFactor(input: $input) { twoFactorEnabled recoveryCodesLeft } }';
const REGENERATE = 'mutation($input: RegenerateRecoveryCodesInput!) { regenerateRecoveryCodes(input: $input) { codes } }';
const ME = '{ me { id twoFactorEnabled recoveryCodesLeft } }';

/** The code an authenticator app shows for `secret` now (the test's Date is the server's: one process). */
const codeOf = (secret: string, timestamp = Date.now()) =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp });
/** A well-formed code that is not one the server takes now (it accepts the step before and after too). */
const wrongCodeOf = (secret: string) => ['000000', '111111', '222222'].find((c) => ![-30_000, 0, 30_000].some((d) => codeOf(secret, Date.now() + d) === c))!;
/** Moves Date to the next 30 s step: the code accepted last is no longer the current one. */
const nextStep = () => vi.setSystemTime(Date.now() + 30_000);

const errorOf = (result: GraphQLResponse) => result.errors?.[0]?.extensions;
const fieldError = (field: string) => ({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ field })] });

let server: TestServer;
beforeAll(async () => {
  // Only Date: timers, PostgreSQL and the HTTP client keep real time.
  vi.useFakeTimers({ toFake: ['Date'] });
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  vi.useRealTimers();
});

interface Enabled {
  secret: string;
  codes: string[];
}

async function enable(user: TestUser): Promise<Enabled> {
  const begun = await server.gql<{ beginTwoFactorSetup: { secret: string } }>(BEGIN, { input: { password: user.password } }, user.token);
  const secret = begun.data!.beginTwoFactorSetup.secret;
  const confirmed = await server.gql<{ confirmTwoFactorSetup: { codes: string[] } }>(CONFIRM, { code: codeOf(secret) }, user.token);
  expect(confirmed.errors).toBeUndefined();
  nextStep();
  return { secret, codes: confirmed.data!.confirmTwoFactorSetup.codes };
}

/** The first step of signing in when two-factor is on: the challenge of TWO_FACTOR_REQUIRED. */
async function challengeFor(user: TestUser): Promise<string> {
  const result = await login(server, user.username, user.password);
  expect(errorOf(result)?.code).toBe('TWO_FACTOR_REQUIRED');
  return errorOf(result)!.challenge as string;
}

const complete = (challenge: string, code: string) =>
  server.gql<{ completeLogin: { token: string; me: { id: string; twoFactorEnabled: boolean; recoveryCodesLeft: number } } }>(COMPLETE, { input: { challenge, code } });

/** What a refused request must leave as it was. */
async function stateOf(user: TestUser) {
  const prisma = server.db.prisma;
  return {
    account: await prisma.user.findUniqueOrThrow({
      where: { id: user.id },
      select: { passwordHash: true, totpSecret: true, totpEnabledAt: true, totpLastStep: true, recoveryCodes: true },
    }),
    sessions: await prisma.session.count({ where: { userId: user.id } }),
    challenges: await prisma.signInChallenge.count({ where: { userId: user.id } }),
  };
}

describe('without two-factor', () => {
  it('an account signs in in one step, as before', async () => {
    const user = await registerUser(server);
    expect((await login(server, user.username)).data?.login.me.id).toBe(user.id);
    expect((await server.gql(ME, {}, user.token)).data).toEqual({ me: { id: user.id, twoFactorEnabled: false, recoveryCodesLeft: 0 } });
  });

  it('a stranger can neither set up, confirm, turn off nor regenerate', async () => {
    const both = { input: { password: 'whatever password', code: '123456' } };
    for (const [query, variables] of [[BEGIN, { input: { password: 'whatever password' } }], [CONFIRM, { code: '123456' }], [DISABLE, both], [REGENERATE, both]] as const) {
      const result = await server.gql(query, variables);
      expect(errorOf(result)?.code).toBe('UNAUTHENTICATED');
      expect(result.data).toBeNull();
    }
  });
});

describe('turning two-factor on', () => {
  it('takes a pending secret, replaced when begun again, then a code of it; other sessions end, this one stays', async () => {
    const user = await registerUser(server);
    const other = (await login(server, user.username)).data!.login.token;
    const first = await server.gql<{ beginTwoFactorSetup: { secret: string; otpauthUri: string } }>(BEGIN, { input: { password: user.password } }, user.token);
    const { secret, otpauthUri } = first.data!.beginTwoFactorSetup;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(otpauthUri);
    expect([uri.protocol, uri.host, decodeURIComponent(uri.pathname), uri.searchParams.get('secret'), uri.searchParams.get('issuer')]).toEqual(['otpauth:', 'totp', `/Dash:${user.username}`, secret, 'Dash']);
    // Pending is not on: the password alone still signs in.
    expect((await login(server, user.username)).data?.login.me.id).toBe(user.id);

    const second = (await server.gql<{ beginTwoFactorSetup: { secret: string } }>(BEGIN, { input: { password: user.password } }, user.token)).data!.beginTwoFactorSetup.secret;
    expect(second).not.toBe(secret);
    expect(errorOf(await server.gql(CONFIRM, { code: codeOf(secret) }, user.token))).toMatchObject(fieldError('code'));
    const confirmed = await server.gql<{ confirmTwoFactorSetup: { codes: string[] } }>(CONFIRM, { code: codeOf(second) }, user.token);
    const codes = confirmed.data!.confirmTwoFactorSetup.codes;
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);

    expect((await server.gql(ME, {}, user.token)).data).toEqual({ me: { id: user.id, twoFactorEnabled: true, recoveryCodesLeft: 10 } });
    expect(errorOf(await server.gql(ME, {}, other))?.code).toBe('UNAUTHENTICATED');
    for (const [query, variables] of [[BEGIN, { input: { password: user.password } }], [CONFIRM, { code: codeOf(second) }]] as const) {
      expect(errorOf(await server.gql(query, variables, user.token))).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'twoFactorEnabled' }] });
    }
  });

  it('keeps the secret sealed: the users row holds no base32 secret and no recovery code', async () => {
    const user = await registerUser(server);
    const { secret, codes } = await enable(user);
    const [row] = await server.db.sql.rows<Record<string, unknown>>`SELECT * FROM users WHERE id = ${user.id}::uuid`;
    const stored = JSON.stringify(row).toUpperCase().replace(/[-\s]/g, '');
    expect(row!.totp_secret).toMatch(/^v1\./);
    expect(stored).not.toContain(secret);
    for (const code of codes) expect(stored).not.toContain(code.replace(/-/g, ''));
  });

  it('refuses a confirmation without a setup begun', async () => {
    const user = await registerUser(server);
    expect(errorOf(await server.gql(CONFIRM, { code: '123456' }, user.token))).toMatchObject({ code: 'CONFLICT', fields: [{ constraint: 'setupBegun' }] });
  });

  it('answers bad input with BAD_USER_INPUT naming the field, writing nothing', async () => {
    const user = await registerUser(server);
    const secret = (await server.gql<{ beginTwoFactorSetup: { secret: string } }>(BEGIN, { input: { password: user.password } }, user.token)).data!.beginTwoFactorSetup.secret;
    const before = await stateOf(user);
    const cases: [string, Record<string, unknown>, string][] = [
      [BEGIN, { input: { password: '' } }, 'password'],
      [BEGIN, { input: { password: 'not the password' } }, 'password'],
      [CONFIRM, { code: '' }, 'code'],
      [CONFIRM, { code: wrongCodeOf(secret) }, 'code'],
      [CONFIRM, { code: 'ABCD-EFGH-JKMN' }, 'code'],
    ];
    for (const [query, variables, field] of cases) {
      expect(errorOf(await server.gql(query, variables, user.token)), JSON.stringify(variables)).toMatchObject(fieldError(field));
    }
    expect(await stateOf(user)).toEqual(before);
  });
});

describe('signing in with two-factor on', () => {
  let user: TestUser;
  let enabled: Enabled;
  beforeAll(async () => {
    user = await registerUser(server);
    enabled = await enable(user);
  });

  it('takes two steps: a challenge instead of a session, then a code; the challenge is used once', async () => {
    const before = await stateOf(user);
    const result = await login(server, user.username, user.password);
    expect(result.data).toBeNull();
    expect(errorOf(result)).toEqual({ code: 'TWO_FACTOR_REQUIRED', challenge: expect.stringMatching(/^[\w-]{43}$/), expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS).toISOString() });
    expect((await stateOf(user)).sessions).toBe(before.sessions);
    const challenge = errorOf(result)!.challenge as string;
    // Stored as its hash only.
    expect(JSON.stringify(await server.db.prisma.signInChallenge.findMany({ where: { userId: user.id } }))).not.toContain(challenge);

    const done = await complete(challenge, codeOf(enabled.secret));
    expect(done.data?.completeLogin.me).toEqual({ id: user.id, twoFactorEnabled: true, recoveryCodesLeft: 10 });
    expect((await server.gql(ME, {}, done.data!.completeLogin.token)).data?.me).toMatchObject({ id: user.id });
    nextStep();
    expect(errorOf(await complete(challenge, codeOf(enabled.secret)))?.code).toBe('INVALID_TOKEN');
  });

  it('does not take the same TOTP code twice; a wrong code leaves the challenge usable', async () => {
    const code = codeOf(enabled.secret);
    expect((await complete(await challengeFor(user), code)).data?.completeLogin.me.id).toBe(user.id);
    const challenge = await challengeFor(user);
    expect(errorOf(await complete(challenge, code))).toMatchObject(fieldError('code'));
    nextStep();
    expect((await complete(challenge, codeOf(enabled.secret))).data?.completeLogin.me.id).toBe(user.id);
  });

  it('takes a recovery code however it is typed, once', async () => {
    const recovery = enabled.codes[0]!;
    const typed = ` ${recovery.toLowerCase().replace(/-/g, ' ')} `;
    expect((await complete(await challengeFor(user), typed)).data?.completeLogin.me.recoveryCodesLeft).toBe(9);
    expect(errorOf(await complete(await challengeFor(user), recovery))).toMatchObject(fieldError('code'));
  });

  it('answers a wrong code with BAD_USER_INPUT on code, writing nothing', async () => {
    const challenge = await challengeFor(user);
    const before = await stateOf(user);
    for (const code of [wrongCodeOf(enabled.secret), 'AAAA-BBBB-CCCC', 'not a code']) {
      expect(errorOf(await complete(challenge, code))).toMatchObject(fieldError('code'));
    }
    expect(await stateOf(user)).toEqual(before);
  });

  it('refuses an expired or unknown challenge with INVALID_TOKEN, and an empty one with BAD_USER_INPUT', async () => {
    const challenge = await challengeFor(user);
    vi.setSystemTime(Date.now() + CHALLENGE_TTL_MS + 1);
    expect(errorOf(await complete(challenge, codeOf(enabled.secret)))?.code).toBe('INVALID_TOKEN');
    for (const unknown of ['A'.repeat(43), 'garbage', 'x'.repeat(128)]) expect(errorOf(await complete(unknown, codeOf(enabled.secret)))?.code).toBe('INVALID_TOKEN');
    expect(errorOf(await complete('', '123456'))).toMatchObject(fieldError('challenge'));
    expect(errorOf(await complete('x'.repeat(129), '123456'))).toMatchObject(fieldError('challenge'));
    expect(errorOf(await complete(challenge, 'x'.repeat(65)))).toMatchObject(fieldError('code'));
  });

  it('gives one session for one challenge completed twice at once', async () => {
    const challenge = await challengeFor(user);
    const results = await Promise.all([complete(challenge, codeOf(enabled.secret)), complete(challenge, enabled.codes[1]!)]);
    expect(results.map((r) => errorOf(r)?.code ?? 'ok').sort()).toEqual(['INVALID_TOKEN', 'ok']);
    nextStep();
  });

  it('is what every sign-in with a password goes through (the reset by mail too)', async () => {
    const account = await server.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    await expect(server.app.services.accounts.signIn(account, { ip: null, userAgent: null })).rejects.toMatchObject({ extensions: { code: 'TWO_FACTOR_REQUIRED' } });
  });
});

describe('two-factor budget', () => {
  it('answers RATE_LIMITED past the budget of codes, even for a right one, then recovers', async () => {
    const limited = await startTestServer({}, { RATE_LIMIT_TWO_FACTOR_PER_ACCOUNT: '3/1h' });
    try {
      const user = await registerUser(limited);
      const begun = await limited.gql<{ beginTwoFactorSetup: { secret: string } }>(BEGIN, { input: { password: user.password } }, user.token);
      const secret = begun.data!.beginTwoFactorSetup.secret;
      expect((await limited.gql(CONFIRM, { code: codeOf(secret) }, user.token)).errors).toBeUndefined();
      nextStep();
      const first = await login(limited, user.username);
      const challenge = errorOf(first)!.challenge as string;
      const completeOn = (code: string) => limited.gql(COMPLETE, { input: { challenge, code } });
      expect(errorOf(await completeOn(wrongCodeOf(secret)))?.code).toBe('BAD_USER_INPUT');
      expect(errorOf(await completeOn(wrongCodeOf(secret)))?.code).toBe('BAD_USER_INPUT');
      // The window began with the code that confirmed the setup, a step (30 s) ago.
      expect(errorOf(await completeOn(codeOf(secret)))).toEqual({ code: 'RATE_LIMITED', retryAfter: 3600 - 30 });
      vi.setSystemTime(Date.now() + (3600 - 30) * 1000);
      const fresh = errorOf(await login(limited, user.username))!.challenge as string;
      expect((await limited.gql(COMPLETE, { input: { challenge: fresh, code: codeOf(secret) } })).errors).toBeUndefined();
    } finally {
      await limited.close();
    }
  });
});

describe('turning two-factor off and new recovery codes', () => {
  it('need the password and a code; bad input is BAD_USER_INPUT naming the field, writing nothing', async () => {
    const user = await registerUser(server);
    const { secret } = await enable(user);
    const before = await stateOf(user);
    const cases: [string, Record<string, unknown>, string][] = [
      [DISABLE, { input: { password: 'not the password', code: codeOf(secret) } }, 'password'],
      [DISABLE, { input: { password: user.password, code: wrongCodeOf(secret) } }, 'code'],
      [DISABLE, { input: { password: '', code: codeOf(secret) } }, 'password'],
      [DISABLE, { input: { password: user.password, code: '' } }, 'code'],
      [REGENERATE, { input: { password: 'not the password', code: codeOf(secret) } }, 'password'],
      [REGENERATE, { input: { password: user.password, code: 'x'.repeat(65) } }, 'code'],
    ];
    for (const [query, variables, field] of cases) {
      expect(errorOf(await server.gql(query, variables, user.token)), JSON.stringify(variables)).toMatchObject(fieldError(field));
    }
    expect(await stateOf(user)).toEqual(before);
    // The password is checked first: the code sent with a wrong one was not used up.
    expect((await server.gql(DISABLE, { input: { password: user.password, code: codeOf(secret) } }, user.token)).errors).toBeUndefined();
  });

  it('new recovery codes replace the old ones', async () => {
    const user = await registerUser(server);
    const { secret, codes: old } = await enable(user);
    const result = await server.gql<{ regenerateRecoveryCodes: { codes: string[] } }>(REGENERATE, { input: { password: user.password, code: codeOf(secret) } }, user.token);
    const fresh = result.data!.regenerateRecoveryCodes.codes;
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => old.includes(code))).toEqual([]);
    expect(errorOf(await complete(await challengeFor(user), old[0]!))).toMatchObject(fieldError('code'));
    expect((await complete(await challengeFor(user), fresh[0]!)).data?.completeLogin.me.recoveryCodesLeft).toBe(9);
  });

  it('off forgets the secret, its last step and the codes; a pending challenge dies; the password alone signs in again', async () => {
    const user = await registerUser(server);
    const { secret } = await enable(user);
    const pending = await challengeFor(user);
    const result = await server.gql<{ disableTwoFactor: unknown }>(DISABLE, { input: { password: user.password, code: codeOf(secret) } }, user.token);
    expect(result.data?.disableTwoFactor).toEqual({ twoFactorEnabled: false, recoveryCodesLeft: 0 });
    expect((await stateOf(user)).account).toMatchObject({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, recoveryCodes: [] });
    nextStep();
    expect(errorOf(await complete(pending, codeOf(secret)))?.code).toBe('INVALID_TOKEN');
    expect((await login(server, user.username)).data?.login.me.id).toBe(user.id);
    for (const query of [DISABLE, REGENERATE]) {
      expect(errorOf(await server.gql(query, { input: { password: user.password, code: codeOf(secret) } }, user.token))).toMatchObject({ code: 'CONFLICT' });
    }
  });

  it('off and on again: a challenge from before does not come back to life', async () => {
    const user = await registerUser(server);
    const first = await enable(user);
    const pending = await challengeFor(user);
    nextStep();
    await server.gql(DISABLE, { input: { password: user.password, code: codeOf(first.secret) } }, user.token);
    nextStep();
    const second = await enable(user);
    nextStep();
    expect(errorOf(await complete(pending, codeOf(second.secret)))?.code).toBe('INVALID_TOKEN');
  });

  it('a challenge from before a password change does not complete', async () => {
    const user = await registerUser(server);
    const { secret } = await enable(user);
    const pending = await challengeFor(user);
    const changed = await server.gql(CHANGE_PASSWORD, { input: { currentPassword: user.password, newPassword: 'another fine passphrase' } }, user.token);
    expect(changed.errors).toBeUndefined();
    nextStep();
    expect(errorOf(await complete(pending, codeOf(secret)))?.code).toBe('INVALID_TOKEN');
  });
});
