import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { login, registerUser, type TestUser } from '../../../test/factories.js';

let server: TestServer;
let user: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  user = await registerUser(server);
});
afterAll(() => server.close());

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
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

  it('gives the same answer for a wrong password and an unknown user, after similar work', async () => {
    const wrong: number[] = [];
    const unknown: number[] = [];
    let wrongResult;
    let unknownResult;
    for (let i = 0; i < 5; i++) {
      [wrongResult, wrong[i]] = await timed(() => login(server, user.username, 'not the password'));
      [unknownResult, unknown[i]] = await timed(() => login(server, `nobody_${i}_${user.username}`, 'not the password'));
    }
    expect(unknownResult).toEqual(wrongResult);
    expect(wrongResult!.errors?.[0]).toMatchObject({
      message: 'Wrong user name or password.',
      extensions: { code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' },
    });
    // Both verify an argon2id hash (~tens of ms); skipping it for unknown users would be ~20x faster.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.4);
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
