/**
 * The bounds of the WebSocket transport, tried from the outside with a hand-written
 * graphql-ws client: frame size, what may be sent before `connection_ack`, sockets and
 * handshakes per client address, operations per socket.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { registerUser, type TestUser } from '../../test/factories.js';
import { startApi } from '../../test/processes.js';
import { rawSocket, UpgradeRefused, type RawSocket } from '../../test/raw-socket.js';
import { startTestServer, type TestServer } from '../../test/server.js';
import { SOCKET_LIMITS } from './websocket.js';

const EVENTS = 'subscription { events { __typename } }';
const require = createRequire(import.meta.url);

async function signedIn(server: TestServer, user: TestUser, headers: Record<string, string> = {}): Promise<RawSocket> {
  const socket = rawSocket(server.wsUrl, headers);
  await socket.opened;
  socket.send({ type: 'connection_init', payload: { token: user.token } });
  await socket.next((m) => m.type === 'connection_ack');
  return socket;
}

async function refusal(socket: RawSocket): Promise<UpgradeRefused> {
  const error = await socket.opened.then(
    () => new Error('the upgrade was accepted'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UpgradeRefused);
  return error as UpgradeRefused;
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

describe('frames', () => {
  it('closes an over-size frame with 1009 before reading it, signed in or not, and memory stays put', async () => {
    const api = await startApi({ env: { NODE_ENV: 'production', DATABASE_URL: inject('databaseUrl'), SEED_DEMO: 'false' } });
    try {
      const before = await rssBytes(api.pid);
      let huge: string | null = 'x'.repeat(90 * 1024 * 1024);
      for (let i = 0; i < 3; i++) {
        // The frame is ready before the socket opens, and goes unmasked (a zero mask: ws skips
        // the XOR): its header reaches the server at once, never after the server's wait for
        // connection_init (3 s) has closed the socket with 4408, however busy the machine.
        const frame = Buffer.from(JSON.stringify({ type: i === 0 ? 'ping' : 'connection_init', payload: huge }));
        const socket = rawSocket(api.wsUrl, {}, { generateMask: (mask) => mask.fill(0) });
        await socket.opened;
        socket.ws.on('error', () => {}); // the server may reset the connection while the client still writes
        socket.ws.send(frame, { binary: false });
        expect((await socket.closed).code).toBeOneOf([1009, 1006]); // 1006 when the reset beats the close frame
      }
      huge = null;
      const after = await rssBytes(api.pid);
      // Three 90 MB frames were refused from their headers and their connections dropped: the server
      // neither held nor read them (it grew by ~1 MB here; it read and discarded them before: +40 MB).
      expect(after - before).toBeLessThan(10 * 1024 * 1024);
      expect((await api.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
      expect(api.logs.some((line) => line.includes('"code":"WS_ERR_UNSUPPORTED_MESSAGE_LENGTH"'))).toBe(false); // debug only
    } finally {
      expect(await api.stop()).toBe(0);
    }
  });
});

/** Sockets held in their handshake stay there until the test moves them on, however slow the machine. */
const noDeadlines = { initWaitMs: 3_600_000, handshakeMs: 3_600_000 };

describe('deadlines', () => {
  it('close a socket that never sends connection_init with 4408', async () => {
    const server = await startTestServer();
    try {
      const silent = rawSocket(server.wsUrl);
      await silent.opened;
      expect(await silent.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    } finally {
      await server.close();
    }
  });
});

describe('dead peers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({}, {}, { socketLimits: { keepAliveMs: 1_000 } });
  });
  afterAll(() => server?.close());

  it('a client that stops answering pings is cut off; one that answers stays', async () => {
    const [ada, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    // ws answers pings by itself unless told not to: the silent one is a peer that went away without a word.
    const silent = rawSocket(server.wsUrl, {}, { autoPong: false });
    const answering = rawSocket(server.wsUrl);
    for (const [socket, user] of [[silent, ada], [answering, bob]] as const) {
      await socket.opened;
      socket.send({ type: 'connection_init', payload: { token: user.token } });
      await socket.next((m) => m.type === 'connection_ack');
    }
    let pings = 0;
    answering.ws.on('ping', () => (pings += 1));
    const closed = await silent.closed;
    expect(closed.code).toBe(1006); // terminated: no close frame for a peer that reads nothing
    // The answering socket was pinged at least as often and is still there.
    await vi.waitUntil(() => pings >= 2, { timeout: 30_000, interval: 50 });
    expect(answering.ws.readyState).toBe(answering.ws.OPEN);
    answering.ws.close();
  });
});

describe('one server with small bounds per address', () => {
  let server: TestServer;
  let user: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ webSocketLimits: { socketsPerIp: 6, handshakesPerIp: 3 } }, {}, { socketLimits: noDeadlines });
    user = await registerUser(server);
  });
  afterAll(() => server.close());

  it('closes a frame just over the limit with 1009 and takes one at the limit', async () => {
    const socket = await signedIn(server, user);
    const query = `{ __typename }${' '.repeat(SOCKET_LIMITS.frameBytes - 200)}`;
    socket.send({ type: 'subscribe', id: 'fits', payload: { query } });
    await socket.next((m) => m.id === 'fits' && m.type === 'complete');
    socket.ws.send(JSON.stringify({ type: 'ping', payload: 'x'.repeat(SOCKET_LIMITS.frameBytes) }));
    expect((await socket.closed).code).toBe(1009);
  });

  it('closes a socket that sends too much before connection_ack with 1008', async () => {
    const chatty = rawSocket(server.wsUrl);
    await chatty.opened;
    for (let i = 0; i <= SOCKET_LIMITS.messagesBeforeAck; i++) chatty.send({ type: 'ping' });
    expect(await chatty.closed).toEqual({ code: 1008, reason: 'Too much sent before connection_ack' });

    const bulky = rawSocket(server.wsUrl);
    await bulky.opened;
    for (let i = 0; i < 2; i++) bulky.send({ type: 'ping', payload: { pad: 'x'.repeat(SOCKET_LIMITS.bytesBeforeAck / 2) } });
    expect((await bulky.closed).code).toBe(1008);
  });

  it('refuses upgrades past the handshakes in flight per address with 429, and takes them again as handshakes end', async () => {
    const pending = await Promise.all(
      Array.from({ length: 3 }, async () => {
        const socket = rawSocket(server.wsUrl);
        await socket.opened;
        return socket;
      }),
    );
    const refused = await refusal(rawSocket(server.wsUrl));
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('10');

    // One handshake ends in a sign-in: it no longer counts against the handshakes.
    pending[0]!.send({ type: 'connection_init', payload: { token: user.token } });
    await pending[0]!.next((m) => m.type === 'connection_ack');
    const next = rawSocket(server.wsUrl);
    await next.opened;
    for (const socket of [...pending, next]) socket.ws.close();
    await Promise.all([...pending, next].map((s) => s.closed));
  });

  it('refuses upgrades past the open sockets per address with 429; addresses behind a trusted proxy count apart', async () => {
    const open = await Promise.all(Array.from({ length: 6 }, () => signedIn(server, user)));
    expect((await refusal(rawSocket(server.wsUrl))).status).toBe(429);
    open[0]!.ws.close();
    await open[0]!.closed;
    const again = await signedIn(server, user);
    for (const socket of [...open.slice(1), again]) socket.ws.close();
    await Promise.all([...open.slice(1), again].map((s) => s.closed));

    const proxied = await startTestServer({ trustProxy: 'loopback', webSocketLimits: { socketsPerIp: 1, handshakesPerIp: 1 } }, {}, { socketLimits: noDeadlines });
    try {
      const a = rawSocket(proxied.wsUrl, { 'x-forwarded-for': '203.0.113.1' });
      const b = rawSocket(proxied.wsUrl, { 'x-forwarded-for': '203.0.113.2' });
      await Promise.all([a.opened, b.opened]);
      expect((await refusal(rawSocket(proxied.wsUrl, { 'x-forwarded-for': '203.0.113.1' }))).status).toBe(429);
      a.ws.close();
      b.ws.close();
      await Promise.all([a.closed, b.closed]);
    } finally {
      await proxied.close();
    }
  });

  it('answers an upgrade on another path with 404', async () => {
    const elsewhere = rawSocket(server.wsUrl.replace('/graphql', '/elsewhere'));
    expect((await refusal(elsewhere)).status).toBe(404);
  });
});

describe('operations per socket', () => {
  let server: TestServer;
  let user: TestUser;
  beforeAll(async () => {
    server = await startTestServer();
    user = await registerUser(server);
  });
  afterAll(() => server.close());

  it(`runs at most ${SOCKET_LIMITS.operations} at once: the next is refused with LIMIT_EXCEEDED until one completes`, async () => {
    const socket = await signedIn(server, user);
    const ids = Array.from({ length: SOCKET_LIMITS.operations }, (_, i) => `events-${i}`);
    for (const id of ids) socket.send({ type: 'subscribe', id, payload: { query: EVENTS } });
    // A query after them all: once it completes, every subscription before it has started.
    socket.send({ type: 'subscribe', id: 'over', payload: { query: '{ __typename }' } });
    const refused = await socket.next((m) => m.id === 'over');
    expect(refused).toEqual({
      id: 'over',
      type: 'error',
      payload: [expect.objectContaining({ extensions: { code: 'LIMIT_EXCEEDED', limit: 'operationsPerSocket', max: SOCKET_LIMITS.operations } })],
    });
    expect(socket.messages.filter((m) => m.type === 'error')).toHaveLength(1);

    socket.send({ type: 'complete', id: 'events-0' });
    socket.send({ type: 'subscribe', id: 'after', payload: { query: '{ __typename }' } });
    expect(await socket.next((m) => m.id === 'after' && m.type === 'next')).toMatchObject({ payload: { data: { __typename: 'Query' } } });
    socket.ws.close();
  });

  it('closes the socket on a second subscription with an id in use (4409)', async () => {
    const socket = await signedIn(server, user);
    socket.send({ type: 'subscribe', id: 'same', payload: { query: EVENTS } });
    socket.send({ type: 'subscribe', id: 'same', payload: { query: EVENTS } });
    expect(await socket.closed).toEqual({ code: 4409, reason: 'Subscriber for same already exists' });
  });

  it('refuses a NUL character in variables over the socket too', async () => {
    const socket = await signedIn(server, user);
    socket.send({ type: 'subscribe', id: 'nul', payload: { query: 'query($name: String!) { user(username: $name) { id } }', variables: { name: 'a\u0000b' } } });
    expect(await socket.next((m) => m.id === 'nul')).toMatchObject({
      type: 'error',
      payload: [{ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'name', constraint: 'noNulCharacter' }] } }],
    });
    socket.ws.close();
  });
});

/**
 * Sign-ins of many sockets at once from another thread (its own event loop: the upgrades
 * reach the server together, as from many clients); resolves with how many were acknowledged.
 */
function stormFromAnotherThread(wsUrl: string, tokens: string[], count: number): Promise<number> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const WebSocket = require(workerData.ws);
    let acknowledged = 0, ended = 0;
    const sockets = [];
    for (let i = 0; i < workerData.count; i++) {
      const socket = new WebSocket(workerData.url, 'graphql-transport-ws');
      sockets.push(socket);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { token: workerData.tokens[i % workerData.tokens.length] } })));
      const end = () => { if (++ended === workerData.count) { parentPort.postMessage(acknowledged); for (const s of sockets) s.terminate(); } };
      socket.on('message', (data) => { if (JSON.parse(String(data)).type === 'connection_ack') { acknowledged++; end(); } });
      socket.on('error', () => {});
      socket.on('close', () => end());
    }`;
  const worker = new Worker(code, { eval: true, workerData: { ws: require.resolve('ws'), url: wsUrl, tokens, count } });
  return new Promise((resolve, reject) => {
    worker.once('message', (acknowledged: number) => {
      resolve(acknowledged);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('a reconnect storm', () => {
  it(`is taken ${SOCKET_LIMITS.handshakesAtOnce} handshakes at a time, the rest in turn, and every socket is acknowledged`, async () => {
    const server = await startTestServer();
    try {
      const users = await Promise.all(Array.from({ length: 10 }, () => registerUser(server)));
      // A session each, none of them read yet: every sign-in asks the database, as after a restart.
      const client = { ip: null, userAgent: null };
      const tokens = await Promise.all(Array.from({ length: 400 }, async (_, i) => (await server.app.services.sessions.create(users[i % 10]!.id, client)).token));
      // Sign-ins are held until the gate is full and upgrades wait behind it, then let go: how
      // full it gets does not depend on how fast this machine opens sockets and checks sessions.
      const sessions = server.app.services.sessions;
      const authenticate = sessions.authenticate.bind(sessions);
      let letGo!: () => void;
      const held = new Promise<void>((resolve) => (letGo = resolve));
      sessions.authenticate = async (...args: Parameters<typeof authenticate>) => {
        await held;
        return authenticate(...args);
      };
      const health: number[] = [];
      let storming = true;
      const healthChecks = (async () => {
        while (storming) health.push((await fetch(`${server.url}/healthz`)).status);
      })();
      const storm = stormFromAnotherThread(server.wsUrl, tokens, tokens.length);
      await expect
        .poll(() => {
          const { running, waiting } = server.app.webSockets.handshakes();
          return running === SOCKET_LIMITS.handshakesAtOnce && waiting > 0;
        }, { timeout: 60_000 })
        .toBe(true);
      letGo();
      const acknowledged = await storm;
      storming = false;
      await healthChecks;
      expect(acknowledged).toBe(400);
      const { peak } = server.app.webSockets.handshakes();
      expect(peak.running).toBe(SOCKET_LIMITS.handshakesAtOnce);
      expect(peak.waiting).toBeGreaterThan(0);
      await expect.poll(() => server.app.webSockets.handshakes(), { timeout: 60_000 }).toMatchObject({ running: 0, waiting: 0 });
      // Health checks were answered all along (how fast is the benchmark's business, not a test's).
      expect(health.length).toBeGreaterThan(0);
      expect(new Set(health)).toEqual(new Set([200]));
    } finally {
      await server.close();
    }
  });
});

describe('a failure inside the server', () => {
  it('closes with 1013, which clients retry, when the session cannot be checked', async () => {
    const broken = await startTestServer({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    try {
      const socket = rawSocket(broken.wsUrl);
      await socket.opened;
      socket.send({ type: 'connection_init', payload: { token: `dsh_${'A'.repeat(43)}` } });
      expect(await socket.closed).toEqual({ code: 1013, reason: 'Internal server error' });
    } finally {
      await broken.close();
    }
  });
});
