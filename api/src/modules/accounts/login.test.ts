import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { login, registerUser, type TestUser } from '../../../test/factories.js';
import { decoyHash } from './password.js';

/** Every argon2 verification the server runs, with the hash it verified against. */
const verified = vi.hoisted(() => [] as string[]);
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const argon2 = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...argon2,
    verify: (hashed: string, ...rest: unknown[]) => {
      verified.push(hashed);
      return (argon2.verify as (hashed: string, ...rest: unknown[]) => Promise<boolean>)(hashed, ...rest);
    },
  };
});

let server: TestServer;
let user: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  user = await registerUser(server);
});
afterAll(() => server.close());

/** Runs `work` and returns what it answered and the hashes argon2 verified against meanwhile. */
async function verifying<T>(work: () => Promise<T>): Promise<[T, string[]]> {
  const from = verified.length;
  const result = await work();
  return [result, verified.slice(from)];
}

describe('login', () => {
  it('signs in by user name in any case and by email in any case', async () => {
    for (const name of [user.username, user.username.toUpperCase(), user.email, user.email.toUpperCase()]) {
      const result = await login(server, name, user.password);
      expect(result.errors).toBeUndefined();
      expect(result.data?.login.me.id).toBe(user.id);
      expect(result.data?.login.token).not.toBe(user.token);
    }
  });

  it('gives the same answer for a wrong password and an unknown user, after the same work', async () => {
    const [wrongResult, wrongWork] = await verifying(() => login(server, user.username, 'not the password'));
    const [unknownResult, unknownWork] = await verifying(() => login(server, `nobody_${user.username}`, 'not the password'));
    expect(unknownResult).toEqual(wrongResult);
    expect(wrongResult.errors?.[0]).toMatchObject({
      message: 'Wrong user name or password.',
      extensions: { code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' },
    });
    // The same work, counted rather than timed: one argon2id verification each, the unknown
    // user's against a decoy hash made with the same parameters as a real one.
    const stored = await server.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(wrongWork).toEqual([stored.passwordHash]);
    expect(unknownWork).toEqual([await decoyHash]);
    const parameters = (hashed: string) => hashed.split('$').slice(1, 4);
    expect(parameters(await decoyHash)).toEqual(parameters(stored.passwordHash));
    expect(parameters(stored.passwordHash)).toEqual(['argon2id', 'v=19', 'm=19456,t=2,p=1']);
  });

  it('refuses empty credentials with BAD_USER_INPUT naming the field', async () => {
    const result = await login(server, '', 'x');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'login' }] });
    const noPassword = await login(server, user.username, '');
    expect(noPassword.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'password' }] });
  });

  it('records the client of the session', async () => {
    const result = await server.gql<{ login: { session: { id: string } } }>(
      'mutation($input: LoginInput!) { login(input: $input) { session { id } } }',
      { input: { login: user.username, password: user.password } },
      undefined,
      { 'user-agent': 'DashTest/1.0' },
    );
    const row = await server.db.prisma.session.findUniqueOrThrow({ where: { id: result.data!.login.session.id } });
    expect(row).toMatchObject({ userAgent: 'DashTest/1.0', ip: expect.stringMatching(/127\.0\.0\.1/) });
  });
});

describe('me', () => {
  it('answers UNAUTHENTICATED without a token, with a malformed one and with an unknown one', async () => {
    for (const token of [undefined, 'garbage', `dsh_${'A'.repeat(43)}`]) {
      const result = await server.gql('{ me { id } }', {}, token);
      expect(result.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(result.data).toBeNull();
    }
  });

  it('returns the signed-in user with private settings', async () => {
    const result = await server.gql<{ me: Record<string, unknown> }>(
      '{ me { id username email emailVerified locale whoCanMessage whoCanFind whoSeesLastSeen } }',
      {},
      user.token,
    );
    expect(result.data?.me).toEqual({
      id: user.id,
      username: user.username,
      email: user.email,
      emailVerified: false,
      locale: 'en',
      whoCanMessage: 'EVERYONE',
      whoCanFind: 'EVERYONE',
      whoSeesLastSeen: 'EVERYONE',
    });
  });
});
