/**
 * "Degrade, don't fail" (DESIGN.md): two API processes share PostgreSQL and a Redis of
 * this test's own, which is killed for a while and started again, empty, on the same port.
 * While it is away, messages are still sent and stored through either instance (the rate
 * limits count per instance, said once in the log), sockets still connect, and the health
 * checks say Redis is degraded. Once it is back, subscribers are told to sync and end up
 * with every message exactly once (a conversation that went quiet included), presence is
 * right again, and sessions revoked meanwhile lose their sockets on the other instance.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { login, registerUser, type TestUser } from './factories.js';
import { createDirect, createGroup, ok, send, waitUntilSubscribed, type TestMessage } from './messenger.js';
import { asTestServer, startApi, type ApiProcess } from './processes.js';
import { startRedis, type TestRedis } from './redis-server.js';
import type { TestServer, TestSocket } from './server.js';
import { SyncClient } from './sync-client.js';

/** Generous: waiting on conditions, these bound only a failure. */
const POLL = { timeout: 60_000, interval: 100 };

let redis: TestRedis;
const running: ApiProcess[] = [];
let a: TestServer;
let b: TestServer;
let apiA: ApiProcess;
let database: pg.Client;

beforeAll(async () => {
  redis = await startRedis();
  const env = {
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL: redis.url,
    LOG_LEVEL: 'info',
    SEED_DEMO: 'false',
    // Every user of this test registers and sends from 127.0.0.1.
    RATE_LIMIT_LOGIN_PER_IP: '100000/1m',
    RATE_LIMIT_REGISTER_PER_IP: '100000/1m',
    RATE_LIMIT_SEND_PER_IP: '100000/1m',
  };
  const started = await Promise.allSettled([startApi({ env }), startApi({ env })]);
  for (const result of started) {
    if (result.status === 'fulfilled') running.push(result.value);
    else throw result.reason;
  }
  [apiA] = running as [ApiProcess, ApiProcess];
  [a, b] = running.map(asTestServer) as [TestServer, TestServer];
  database = new pg.Client({ connectionString: inject('databaseUrl') });
  await database.connect();
});

afterAll(async () => {
  await database?.end();
  // A clean stop, and no crash along the way; the logs say why otherwise.
  await Promise.all(running.map(async (api) => expect(await api.stop(), api.logs.join('\n')).toBe(0)));
  await redis?.stop();
});

interface Health {
  status: number;
  body: Record<string, unknown>;
}

async function health(server: TestServer, path: '/healthz' | '/readyz'): Promise<Health> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The log lines of an instance with this message. */
const logged = (api: ApiProcess, message: string) => api.logs.filter((line) => line.includes(`"msg":"${message}`));

async function online(server: TestServer, user: TestUser): Promise<boolean | null> {
  const data = ok(await server.gql<{ user: { online: boolean | null } }>('query($u: String!) { user(username: $u) { online } }', { u: user.username }, user.token));
  return data.user.online;
}

async function storedIds(messages: TestMessage[]): Promise<string[]> {
  const { rows } = await database.query<{ id: string }>('SELECT id FROM messages WHERE id = ANY($1::uuid[]) ORDER BY seq', [messages.map((m) => m.id)]);
  return rows.map((row) => row.id);
}

describe('a Redis outage', () => {
  // What the outage is survived with, set up before it.
  let alice: TestUser, bob: TestUser, carol: TestUser, dave: TestUser, erin: TestUser, frank: TestUser;
  let group: string;
  let quiet: string;
  let reader: SyncClient;
  let laptopSession: string;
  let laptopOnB: TestSocket;
  let erinOnB: TestSocket;
  const duringOutage: TestMessage[] = [];
  let gina: TestUser;
  let ginaOnA: TestSocket;

  it('before the outage: delivers across instances and counts presence', async () => {
    const people = await Promise.all(Array.from({ length: 7 }, () => registerUser(a)));
    [alice, bob, carol, dave, erin, frank, gina] = people as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
    group = await createGroup(a, alice, [bob, carol]);
    quiet = await createDirect(a, alice, bob.id);
    await send(a, alice, quiet, 'before the outage');

    // Bob reads on B with the reference sync client.
    const bobOnB = b.socket({ token: bob.token });
    await bobOnB.connected;
    reader = new SyncClient(b, bob);
    await reader.attach(bobOnB.client, (stream) => waitUntilSubscribed(b, bob, stream));
    const first = await send(a, alice, group, 'live before the outage');
    await reader.reaches(group, first.seq);

    // Dave's laptop and Erin have sockets on B; Frank is online through B.
    const laptop = ok(await login(a, dave.username)).login;
    laptopSession = laptop.session.id;
    laptopOnB = b.socket({ token: laptop.token });
    erinOnB = b.socket({ token: erin.token });
    const frankOnB = b.socket({ token: frank.token });
    await Promise.all([laptopOnB.connected, erinOnB.connected, frankOnB.connected]);
    await expect.poll(() => online(a, frank), POLL).toBe(true);
  });

  it('keeps sends working on both instances, with per-instance limits said once, and health saying Redis is degraded', async () => {
    await redis.stop();
    for (const server of [a, b]) {
      await expect.poll(async () => (await health(server, '/readyz')).body.redis, POLL).toBe('degraded');
      expect(await health(server, '/readyz')).toEqual({ status: 200, body: { status: 'ready', database: 'postgres', redis: 'degraded' } });
      expect(await health(server, '/healthz')).toEqual({ status: 200, body: { status: 'degraded', redis: 'degraded' } });
    }

    for (let i = 0; i < 3; i++) duringOutage.push(await send(a, alice, group, `through A ${i}`));
    for (let i = 0; i < 2; i++) duringOutage.push(await send(b, carol, group, `through B ${i}`));
    // The direct conversation gets its last messages now, and none after the outage.
    for (let i = 0; i < 2; i++) duringOutage.push(await send(a, alice, quiet, `quiet ${i}`));
    expect(await storedIds(duringOutage)).toHaveLength(duringOutage.length);

    // Log lines come through the processes' stdout, which may trail their HTTP answers.
    for (const api of running) await expect.poll(() => logged(api, 'rate limits fell back').length, POLL).toBe(1);
  });

  it('lets new sockets connect, and sessions be revoked', async () => {
    ginaOnA = a.socket({ token: gina.token });
    const carolOnB = b.socket({ token: carol.token });
    await Promise.all([ginaOnA.connected, carolOnB.connected]);

    // Dave revokes his laptop through A; Erin's session ends with no announcement at all.
    ok(await a.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: laptopSession }, dave.token));
    await database.query('DELETE FROM sessions WHERE id = $1', [erin.sessionId]);
  });

  describe('once Redis is back (empty)', () => {
    beforeAll(() => redis.start());

    it('tells subscribers to sync; they then have every message exactly once, the quiet conversation included', async () => {
      await reader.until(() => reader.syncsRequired > 0);
      const after = await send(a, alice, group, 'live after the outage');
      await reader.reaches(group, after.seq);
      await reader.reaches(quiet, duringOutage.at(-1)!.seq);

      expect(reader.messagesOf(group).map((m) => m.seq)).toEqual(Array.from({ length: after.seq }, (_, i) => i + 1));
      expect(reader.messagesOf(quiet).map((m) => m.body)).toEqual(['before the outage', 'quiet 0', 'quiet 1']);
      for (const message of [...duringOutage, after]) expect(reader.inserts.get(message.id), message.body).toBe(1);
      expect([...reader.inserts.values()].every((count) => count === 1)).toBe(true);
    });

    it('says Redis is ok again, in the health checks and in the log', async () => {
      for (const server of [a, b]) {
        await expect.poll(async () => (await health(server, '/readyz')).body.redis, POLL).toBe('ok');
        expect(await health(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok', redis: 'ok' } });
      }
      await send(a, alice, group, 'counted in Redis again');
      await expect.poll(() => logged(apiA, 'rate limits are counted in Redis again').length, POLL).toBe(1);
      expect(logged(apiA, 'rate limits fell back')).toHaveLength(1);
    });

    it('closes the sockets of sessions that ended during the outage', async () => {
      expect(await laptopOnB.closed).toEqual({ code: 4401, reason: 'Session ended' });
      expect(await erinOnB.closed).toEqual({ code: 4401, reason: 'Session ended' });
    });

    it('counts presence again from the sockets each instance holds', async () => {
      // Frank connected before the outage, Gina during it; Redis came back with neither.
      await expect.poll(() => online(a, frank), POLL).toBe(true);
      await expect.poll(() => online(b, gina), POLL).toBe(true);
      await ginaOnA.client.dispose();
      await expect.poll(() => online(b, gina), POLL).toBe(false);
    });
  });
});
