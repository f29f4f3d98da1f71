import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, wsQuery, type TestServer } from '../../../test/server.js';
import { login, registerUser } from '../../../test/factories.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const SESSIONS = '{ sessions { id current expiresAt lastUsedAt userAgent } }';
type SessionList = { sessions: { id: string; current: boolean; expiresAt: string }[] };

describe('sessions', () => {
  it('lists the caller’s sessions and marks the current one', async () => {
    const user = await registerUser(server);
    const second = await login(server, user.username);
    const result = await server.gql<SessionList>(SESSIONS, {}, user.token);
    const sessions = result.data!.sessions;
    expect(sessions.map((s) => s.id).sort()).toEqual([user.sessionId, second.data!.login.session.id].sort());
    expect(sessions.find((s) => s.current)?.id).toBe(user.sessionId);
  });

  it('logout ends the current session only', async () => {
    const user = await registerUser(server);
    const other = (await login(server, user.username)).data!.login;
    expect((await server.gql('mutation { logout }', {}, user.token)).data).toEqual({ logout: true });
    expect((await server.gql('{ me { id } }', {}, user.token)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect((await server.gql('{ me { id } }', {}, other.token)).data).toEqual({ me: { id: user.id } });
    expect((await server.gql('mutation { logout }')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('revokeSession ends another of the caller’s sessions', async () => {
    const user = await registerUser(server);
    const other = (await login(server, user.username)).data!.login;
    const result = await server.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: other.session.id }, user.token);
    expect(result.data).toEqual({ revokeSession: true });
    expect((await server.gql('{ me { id } }', {}, other.token)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(await server.db.prisma.session.findUnique({ where: { id: other.session.id } })).toBeNull();
  });

  it('answers NOT_FOUND alike for a stranger’s session, a missing one and a malformed id, ending nothing', async () => {
    const owner = await registerUser(server);
    const stranger = await registerUser(server);
    const answers = [];
    for (const id of [owner.sessionId, '01900000-0000-7000-8000-000000000000', 'not-an-id']) {
      const result = await server.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id }, stranger.token);
      answers.push(result.errors?.[0]);
    }
    expect(answers[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect((await server.gql('{ me { id } }', {}, owner.token)).data).toEqual({ me: { id: owner.id } });
  });

  it('requires a session to list or revoke sessions', async () => {
    expect((await server.gql(SESSIONS)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const result = await server.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: 'x' });
    expect(result.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('sliding expiry', () => {
  it('extends a session each time it is used', async () => {
    const user = await registerUser(server);
    // As if the session had been idle for most of its lifetime: one minute left.
    const nearEnd = new Date(Date.now() + 60_000);
    await server.db.prisma.session.update({ where: { id: user.sessionId }, data: { expiresAt: nearEnd } });
    const before = Date.now();
    expect((await server.gql('{ me { id } }', {}, user.token)).data).toEqual({ me: { id: user.id } });
    const row = await server.db.prisma.session.findUniqueOrThrow({ where: { id: user.sessionId } });
    const ttlMs = server.config.sessionTtlSeconds * 1000;
    expect(row.expiresAt.getTime()).toBeGreaterThanOrEqual(before + ttlMs - 1000);
    expect(row.lastUsedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('rejects and deletes a session past its expiry', async () => {
    const user = await registerUser(server);
    await server.db.prisma.session.update({ where: { id: user.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await server.gql('{ me { id } }', {}, user.token)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(await server.db.prisma.session.findUnique({ where: { id: user.sessionId } })).toBeNull();
  });

  // The only test that purges: test files run side by side on one database, and a purge in
  // another file's server would take this session without closing this server's socket.
  it('purges expired sessions, closing their sockets, and keeps live ones', async () => {
    const expired = await registerUser(server);
    const live = await registerUser(server);
    const [expiring, staying] = [server.socket({ token: expired.token }), server.socket({ token: live.token })];
    await Promise.all([expiring.connected, staying.connected]);
    await server.db.prisma.session.update({ where: { id: expired.sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await server.app.services.sessions.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await server.db.prisma.session.findUnique({ where: { id: expired.sessionId } })).toBeNull();
    expect(await server.db.prisma.session.findUnique({ where: { id: live.sessionId } })).not.toBeNull();
    expect((await expiring.closed).code).toBe(4401);
    expect((await wsQuery<{ me: { id: string } }>(staying.client, '{ me { id } }')).data?.me.id).toBe(live.id);
  });

  it('ends sessions after SESSION_TTL without use', async () => {
    const short = await startTestServer({ sessionTtlSeconds: 1 });
    try {
      const user = await registerUser(short);
      const row = await short.db.prisma.session.findUniqueOrThrow({ where: { id: user.sessionId } });
      expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(1100);
    } finally {
      await short.close();
    }
  });
});
