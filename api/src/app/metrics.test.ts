import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { registerUser } from '../../test/factories.js';
import { connect, createDirect, send } from '../../test/messenger.js';
import { startTestServer, wsQuery, type TestServer } from '../../test/server.js';
import { OPERATION_NAMES_MAX } from '../core/metrics.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function scrape(from: TestServer = server, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${from.url}/metrics`, { headers });
  expect(response.status).toBe(200);
  return response.text();
}

/** The sum of the samples of `name` whose labels include `labels` (0 when there is none). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [, sampleName, labelText = '', value] of text.matchAll(/^(\w+)(?:\{(.*)\})? (\S+)$/gm)) {
    if (sampleName !== name) continue;
    const own = Object.fromEntries([...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, label]) => [key, label]));
    if (Object.entries(labels).every(([key, label]) => own[key] === label)) sum += Number(value);
  }
  return sum;
}

describe('/metrics', () => {
  it('counts an event delivered to each subscriber, with its lag from the publish', async () => {
    const [alice, bob] = [await registerUser(server), await registerUser(server)];
    const conversationId = await createDirect(server, alice, bob.id);
    const [a, b] = [await connect(server, alice), await connect(server, bob)];
    const before = await scrape();
    expect(sample(before, 'dash_subscriptions_active')).toBe(2);

    // A query's answer on the same socket is a `next` message too, and no delivery.
    expect((await wsQuery<{ me: { id: string } }>(a.client, '{ me { id } }')).data?.me.id).toBe(alice.id);
    await send(server, alice, conversationId, 'counted');
    const added = (event: { __typename: string; message?: { body: string } }) => event.__typename === 'MessageAddedEvent' && event.message?.body === 'counted';
    await Promise.all([a.stream.next(added), b.stream.next(added)]);
    const after = await scrape();

    const type = { type: 'MESSAGE_ADDED' };
    expect(sample(after, 'dash_events_published_total', type) - sample(before, 'dash_events_published_total', type)).toBe(1);
    expect(sample(after, 'dash_events_delivered_total', type) - sample(before, 'dash_events_delivered_total', type)).toBe(2);
    // Every event delivered between the two was published (none made here only): each has its lag.
    const delivered = sample(after, 'dash_events_delivered_total') - sample(before, 'dash_events_delivered_total');
    expect(sample(after, 'dash_event_delivery_lag_seconds_count') - sample(before, 'dash_event_delivery_lag_seconds_count')).toBe(delivered);
    expect(sample(after, 'dash_event_delivery_lag_seconds_bucket', { le: '+Inf' })).toBe(sample(after, 'dash_event_delivery_lag_seconds_count'));
    await Promise.all([a.client.dispose(), b.client.dispose()]);
  });

  it('times operations by name and type, and counts errors by code, over HTTP and WebSocket', async () => {
    const before = await scrape();
    const user = await registerUser(server);
    const anonymous = await server.gql('query WhoAmI { me { id } }');
    expect(anonymous.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const socket = server.socket({ token: user.token });
    await socket.connected;
    const refused = await new Promise<unknown[]>((resolve) => {
      socket.client.subscribe({ query: 'subscription Nothing { nothingHere }' }, { next: () => {}, error: (errors) => resolve(errors as unknown[]), complete: () => {} });
    });
    expect(refused).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
    const after = await scrape();

    const count = (text: string, labels: Record<string, string>) => sample(text, 'dash_graphql_operation_duration_seconds_count', labels);
    expect(count(after, { operation: 'WhoAmI', type: 'query' }) - count(before, { operation: 'WhoAmI', type: 'query' })).toBe(1);
    expect(count(after, { operation: 'Register', type: 'mutation' }) - count(before, { operation: 'Register', type: 'mutation' })).toBe(1);
    expect(sample(after, 'dash_graphql_operation_duration_seconds_sum', { operation: 'WhoAmI' })).toBeGreaterThan(0);
    const errors = (text: string, code: string) => sample(text, 'dash_graphql_errors_total', { code });
    expect(errors(after, 'UNAUTHENTICATED') - errors(before, 'UNAUTHENTICATED')).toBe(1);
    expect(errors(after, 'BAD_USER_INPUT') - errors(before, 'BAD_USER_INPUT')).toBe(1);
    const graphqlPosts = (text: string) => sample(text, 'dash_http_request_duration_seconds_count', { method: 'POST', route: '/graphql', status: '200' });
    expect(graphqlPosts(after) - graphqlPosts(before)).toBe(2);
    await socket.client.dispose();
  });

  it('counts open WebSockets up as they open and down as they close', async () => {
    const user = await registerUser(server);
    const serverSides = new Set(server.app.webSockets.wss.clients);
    const base = sample(await scrape(), 'dash_websocket_connections');
    const sockets = [server.socket({ token: user.token }), server.socket({ token: user.token })];
    await Promise.all(sockets.map((socket) => socket.connected));
    expect(sample(await scrape(), 'dash_websocket_connections')).toBe(base + 2);

    const opened = [...server.app.webSockets.wss.clients].filter((ws) => !serverSides.has(ws));
    expect(opened).toHaveLength(2);
    const closed = opened.map((ws: WebSocket) => once(ws, 'close'));
    await Promise.all(sockets.map((socket) => socket.client.dispose()));
    await Promise.all(closed);
    expect(sample(await scrape(), 'dash_websocket_connections')).toBe(base);
  });

  it("exports the process's metrics, the handshake gate and the database pool, as Prometheus text", async () => {
    const response = await fetch(`${server.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const text = await response.text();
    for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_eventloop_lag_p99_seconds', 'process_resident_memory_bytes', 'dash_db_pool_connections', 'dash_db_pool_waiting_requests']) {
      expect(text).toMatch(new RegExp(`^${name} \\d`, 'm'));
    }
    expect(sample(text, 'dash_db_pool_max_connections')).toBe(10);
    expect(text).toMatch(/^dash_handshake_queue\{state="running"\} 0$/m);
    expect(text).toMatch(/^dash_handshake_queue\{state="waiting"\} 0$/m);
  });
});

describe('/metrics in production', () => {
  it('requires the token when METRICS_TOKEN is set, and is not there without one', async () => {
    const token = randomBytes(24).toString('hex');
    const guarded = await startTestServer({}, { NODE_ENV: 'production', METRICS_TOKEN: token });
    const closed = await startTestServer({}, { NODE_ENV: 'production' });
    try {
      const missing = await fetch(`${guarded.url}/metrics`);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      for (const authorization of [`Bearer ${token.slice(1)}`, `Bearer ${token}x`, `Basic ${token}`, token]) {
        expect((await fetch(`${guarded.url}/metrics`, { headers: { authorization } })).status, authorization).toBe(401);
      }
      expect(await scrape(guarded, { authorization: `Bearer ${token}` })).toContain('dash_events_delivered_total');

      for (const accept of ['*/*', 'text/html']) expect((await fetch(`${closed.url}/metrics`, { headers: { accept } })).status).toBe(404);
    } finally {
      await Promise.all([guarded.close(), closed.close()]);
    }
  });
});

describe('operation names, which clients choose', () => {
  it(`make at most ${OPERATION_NAMES_MAX + 1} series, however many are sent`, async () => {
    const fresh = await startTestServer();
    try {
      const names = Array.from({ length: OPERATION_NAMES_MAX + 100 }, (_, i) => `Probe${i}`);
      for (let i = 0; i < names.length; i += 50) {
        await Promise.all(names.slice(i, i + 50).map((name) => fresh.gql(`query ${name} { __typename }`)));
      }
      const text = await scrape(fresh);
      const series = text.match(/^dash_graphql_operation_duration_seconds_count\{/gm) ?? [];
      expect(series).toHaveLength(OPERATION_NAMES_MAX + 1);
      expect(sample(text, 'dash_graphql_operation_duration_seconds_count', { operation: 'other' })).toBe(100);
      expect(sample(text, 'dash_graphql_operation_duration_seconds_count')).toBe(names.length);
    } finally {
      await fresh.close();
    }
  });
});
