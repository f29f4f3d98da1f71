import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, wsQuery, type TestServer } from '../../test/server.js';
import { login, registerUser } from '../../test/factories.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('WebSocket authentication', () => {
  it('accepts a valid token in connection params and runs operations as that user', async () => {
    const user = await registerUser(server);
    for (const params of [{ token: user.token }, { Authorization: `Bearer ${user.token}` }]) {
      const socket = server.socket(params);
      await socket.connected;
      const result = await wsQuery<{ me: { id: string } }>(socket.client, '{ me { id } }');
      expect(result.data?.me.id).toBe(user.id);
      await socket.client.dispose();
    }
  });

  it('answers operation errors with the same stable codes as HTTP', async () => {
    const user = await registerUser(server);
    const socket = server.socket({ token: user.token });
    await socket.connected;
    const result = await wsQuery(socket.client, 'mutation { revokeSession(id: "not-a-session") }');
    expect(result.errors).toEqual([expect.objectContaining({ message: 'Session was not found.', extensions: { code: 'NOT_FOUND' } })]);
  });

  it('closes with 4401 without a token, with a bad one and with a revoked one', async () => {
    const user = await registerUser(server);
    await server.gql('mutation { logout }', {}, user.token);
    for (const params of [{}, { token: 'nonsense' }, { token: user.token }]) {
      const socket = server.socket(params);
      expect((await socket.closed).code).toBe(4401);
    }
  });

  it('closes the live socket when its session is revoked from another device', async () => {
    const user = await registerUser(server);
    const phone = (await login(server, user.username)).data!.login;
    const socket = server.socket({ token: phone.token });
    await socket.connected;
    const untouched = server.socket({ token: user.token });
    await untouched.connected;

    await server.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: phone.session.id }, user.token);
    expect(await socket.closed).toEqual({ code: 4401, reason: 'Session ended' });
    // The revoking device's own socket stays open and usable.
    const result = await wsQuery<{ me: { id: string } }>(untouched.client, '{ me { id } }');
    expect(result.data?.me.id).toBe(user.id);
  });

  // A purged session's socket: sessions.test.ts, the one file that purges (see there).
  it('closes the socket on logout', async () => {
    const user = await registerUser(server);
    const socket = server.socket({ token: user.token });
    await socket.connected;
    await server.gql('mutation { logout }', {}, user.token);
    expect((await socket.closed).code).toBe(4401);
  });
});

describe('two instances sharing Redis', () => {
  it('revoking on instance A closes the socket held by instance B', async () => {
    const a = await startTestServer({ redisUrl: REDIS_URL });
    const b = await startTestServer({ redisUrl: REDIS_URL });
    try {
      const user = await registerUser(a);
      const laptop = (await login(b, user.username)).data!.login;
      const socket = b.socket({ token: laptop.token });
      await socket.connected;
      await a.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: laptop.session.id }, user.token);
      expect((await socket.closed).code).toBe(4401);
      // B had the session in memory (the socket authenticated with it): it forgot it with the announcement.
      expect((await b.gql('{ me { id } }', {}, laptop.token)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
