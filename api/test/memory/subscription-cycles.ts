/**
 * Run as its own process with --expose-gc (api/src/app/operation-memory.test.ts starts it):
 * a real server in this process and one client that subscribes and completes `cycles`
 * times as fast as it can write, each operation a text never seen before (parsed and
 * validated anew: the costliest kind). Prints the JS heap after full collections, before,
 * right after the server has read the flood, and once it has settled, as one JSON line (MB).
 */
import 'reflect-metadata';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config/env.js';
import { openDatabase } from '../../src/core/db/database.js';
import { createLogger } from '../../src/core/logger.js';
import { createServer } from '../../src/app/server.js';

const [databaseUrl, cyclesArg] = process.argv.slice(2);
const cycles = Number(cyclesArg);
const gc = (globalThis as { gc?: () => void }).gc!;
const heapMB = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1048576;
};

const config = { ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ENV_FILE: '' }), port: 0, host: '127.0.0.1', databaseUrl };
const db = await openDatabase(config);
const app = await createServer(config, db, createLogger({ level: 'silent', production: false }));
const port = await app.listen();
const name = `cycles${Date.now()}`;
const registered = await fetch(`http://127.0.0.1:${port}/graphql`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    query: 'mutation($input: RegisterInput!) { register(input: $input) { token } }',
    variables: { input: { username: name, email: `${name}@example.test`, password: 'correct horse battery staple' } },
  }),
});
const { token } = ((await registered.json()) as { data: { register: { token: string } } }).data.register;

const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
const completed = new Map<string, () => void>();
ws.on('message', (data) => {
  const message = JSON.parse(String(data)) as { type: string; id?: string };
  // A fence may be refused (too many operations at once): answered all the same, in its turn.
  if (['connection_ack', 'complete', 'error'].includes(message.type)) completed.get(message.id ?? 'ack')?.();
});
const answered = (id: string, send: () => void) => new Promise<void>((resolve) => (completed.set(id, resolve), send()));
await new Promise((resolve) => ws.once('open', resolve));
await answered('ack', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { token } })));
/** A query sent after everything else, answered once the server has taken in all that came before it. */
const fence = (id: string) => answered(id, () => ws.send(JSON.stringify({ type: 'subscribe', id, payload: { query: '{ __typename }' } })));

const flood = (from: number, count: number) => {
  for (let i = from; i < from + count; i++) {
    ws.send(JSON.stringify({ type: 'subscribe', id: `s${i}`, payload: { query: `subscription { events { __typename } } # ${i}` } }));
    ws.send(JSON.stringify({ type: 'complete', id: `s${i}` }));
  }
};
flood(0, 1_000);
await fence('warm');
const before = heapMB();
flood(1_000, cycles);
// The heap is read as soon as the server has read the flood, while a server that queues the work still holds it.
await fence('flooded');
const after = heapMB();
// Then what is left once the work under way has ended: read until it stops falling (a leak never does).
let settled = after;
for (let round = 0; round < 60; round++) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  await fence(`settle${round}`);
  const now = heapMB();
  if (now >= settled - 0.5) break;
  settled = now;
}
console.log(JSON.stringify({ before, after, settled }));
ws.close();
await app.close();
await db.close();
