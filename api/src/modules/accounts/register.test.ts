import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { PASSWORD, registerUser, uniqueName } from '../../../test/factories.js';

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) { token me { id username email displayName emailVerified } session { id current } }
  }
`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/**
 * Accounts with the user name or the email of `input`, in any case: what a refused
 * registration must not add to. Not every account: other test files register side by side.
 */
function countUsers(input: Record<string, unknown>): Promise<number> {
  const like = (value: unknown) => ({ equals: String(value).trim(), mode: 'insensitive' as const });
  return server.db.prisma.user.count({
    where: {
      OR: [
        ...(typeof input.username === 'string' ? [{ username: like(input.username) }] : []),
        ...(typeof input.email === 'string' ? [{ email: like(input.email) }] : []),
      ],
    },
  });
}

function validInput(overrides: Record<string, unknown> = {}) {
  const username = uniqueName('reg');
  return { username, email: `${username}@Example.Test`, password: PASSWORD, ...overrides };
}

describe('register', () => {
  it('creates an account, normalizes the email and signs it in', async () => {
    const input = validInput({ displayName: '  Ada Lovelace ' });
    const result = await server.gql<{ register: { token: string; me: Record<string, unknown>; session: { current: boolean } } }>(REGISTER, { input });
    expect(result.errors).toBeUndefined();
    const { token, me, session } = result.data!.register;
    expect(token).toMatch(/^dsh_[A-Za-z0-9_-]{43}$/);
    expect(me).toMatchObject({ username: input.username, email: input.email.toLowerCase(), displayName: 'Ada Lovelace', emailVerified: false });
    expect(session.current).toBe(true);

    const row = await server.db.prisma.user.findUniqueOrThrow({ where: { id: me.id as string } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const sessionRow = await server.db.prisma.session.findFirstOrThrow({ where: { userId: row.id } });
    expect(sessionRow.tokenHash).not.toContain(token.slice(4));
    expect(sessionRow.tokenHash).toMatch(/^[0-9a-f]{64}$/);

    const whoAmI = await server.gql<{ me: { id: string } }>('{ me { id } }', {}, token);
    expect(whoAmI.data?.me.id).toBe(me.id);
  });

  it('defaults the display name to the user name', async () => {
    const input = validInput();
    const result = await server.gql<{ register: { me: { displayName: string } } }>(REGISTER, { input });
    expect(result.data?.register.me.displayName).toBe(input.username);
  });

  it('refuses a user name taken in any case with CONFLICT on username, writing nothing', async () => {
    const existing = await registerUser(server);
    const input = validInput({ username: existing.username.toUpperCase() });
    expect(await countUsers(input)).toBe(1);
    const result = await server.gql(REGISTER, { input });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'username', constraint: 'unique' }] });
    expect(await countUsers(input)).toBe(1);
  });

  it('refuses an email taken in any case with CONFLICT on email, writing nothing', async () => {
    const existing = await registerUser(server);
    const input = validInput({ email: existing.email.toUpperCase() });
    expect(await countUsers(input)).toBe(1);
    const result = await server.gql(REGISTER, { input });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', fields: [{ field: 'email' }] });
    expect(await countUsers(input)).toBe(1);
  });

  it('gives one account and CONFLICTs for the rest when the same name registers concurrently', async () => {
    const username = uniqueName('race');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => server.gql(REGISTER, { input: validInput({ username, email: `${username}.${i}@example.test` }) })),
    );
    const ok = results.filter((r) => r.data?.register);
    const conflicts = results.filter((r) => r.errors?.[0]?.extensions.code === 'CONFLICT');
    expect(ok).toHaveLength(1);
    expect(conflicts).toHaveLength(5);
    for (const r of conflicts) expect(r.errors![0]!.extensions.fields).toEqual([expect.objectContaining({ field: 'username' })]);
    expect(await server.db.prisma.user.count({ where: { username } })).toBe(1);
  });

  const badFields: [string, Record<string, unknown>, string, string][] = [
    ['a too short user name', { username: 'ab' }, 'username', 'matches'],
    ['a too long user name', { username: 'x'.repeat(33) }, 'username', 'matches'],
    ['a user name with a space', { username: 'bad name' }, 'username', 'matches'],
    ['a user name with a dash', { username: 'bad-name' }, 'username', 'matches'],
    ['a user name in Cyrillic', { username: 'имя_юзера' }, 'username', 'matches'],
    ['a malformed email', { email: 'not-an-email' }, 'email', 'isEmail'],
    ['an email of 255 characters', { email: `${'a'.repeat(60)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.test` }, 'email', 'maxLength'],
    ['a 7-character password', { password: 'abcdefg' }, 'password', 'isLength'],
    ['a 129-character password', { password: 'p'.repeat(129) }, 'password', 'isLength'],
    ['a common password', { password: 'password1' }, 'password', 'notCommon'],
    ['another common password', { password: 'Qwertyuiop' }, 'password', 'notCommon'],
    ['a password containing the user name', { username: 'zebra_kite', password: 'my zebra_kite pass' }, 'password', 'notUsername'],
    ['an empty display name', { displayName: '' }, 'displayName', 'isLength'],
    ['a display name with a control character', { displayName: 'Eve\u0007' }, 'displayName', 'matches'],
    ['a 65-character display name', { displayName: 'd'.repeat(65) }, 'displayName', 'isLength'],
    // class-validator's Length counts a variation selector as nothing; varchar(64) counts it.
    ['64 hearts with variation selectors (128 characters)', { displayName: '\u2764\uFE0F'.repeat(64) }, 'displayName', 'isLength'],
    // validator.js's isEmail throws on an unpaired surrogate rather than answer.
    ['an email with an unpaired surrogate', { email: 'eve@exa\uD800mple.test' }, 'email', 'isWellFormed'],
    // Hashed as U+FFFD, it would share a hash with every other password that differs only there.
    ['a password with an unpaired surrogate', { password: 'battery \uDC00 staple horse' }, 'password', 'isWellFormed'],
  ];

  it.each(badFields)('refuses %s with BAD_USER_INPUT naming the field, writing nothing', async (_label, overrides, field, constraint) => {
    const input = validInput(overrides);
    const before = await countUsers(input);
    const result = await server.gql(REGISTER, { input });
    expect(result.data).toBeNull();
    const error = result.errors?.[0];
    expect(error?.extensions.code).toBe('BAD_USER_INPUT');
    expect(error?.extensions.fields).toEqual([expect.objectContaining({ field, constraint, message: expect.any(String) })]);
    expect(await countUsers(input)).toBe(before);
  });

  it('names every bad field at once', async () => {
    const result = await server.gql(REGISTER, { input: { username: 'x', email: 'y', password: 'z' } });
    const fields = (result.errors?.[0]?.extensions.fields as { field: string }[]).map((f) => f.field);
    expect(fields.sort()).toEqual(['email', 'password', 'username']);
  });

  it('refuses a missing field as BAD_USER_INPUT before running anything', async () => {
    const input = { username: uniqueName(), password: PASSWORD };
    const result = await server.gql(REGISTER, { input });
    expect(result.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(await countUsers(input)).toBe(0);
  });
});
