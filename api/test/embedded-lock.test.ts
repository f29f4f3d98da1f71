/**
 * One process at a time on the embedded database, from the outside: real API processes
 * and db scripts on a temporary DATA_DIR each. Before the lock, a second `npm start` on
 * the same folder served too, and acknowledged messages of one of the two were lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../prisma/seed.js';
import { repoRoot } from '../src/config/env.js';
import { LOCK_FILE } from '../src/core/db/data-lock.js';
import { remoteApi, startApi, type RemoteApi } from './processes.js';

const dataDirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(dataDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dash-lock-'));
  dataDirs.push(dir);
  return dir;
}

/** `demo`: whether to load the demo data (only the test that sends as the demo user needs it). */
function environment(dataDir: string, demo = false): Record<string, string> {
  return { PATH: process.env.PATH!, HOME: process.env.HOME!, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', SEED_DEMO: String(demo) };
}

interface Launched {
  lines: string[];
  /** Resolves with the first line matching `pattern`; rejects with the output when the process exits first. */
  line(pattern: RegExp): Promise<string>;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** A process whose every output line is seen as it comes, even before it listens (unlike startApi). */
function launch(args: string[], dataDir: string): Launched {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: path.join(repoRoot, 'api'), env: environment(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve(line: string): void }[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) waiter.resolve(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    lines,
    exited,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((line) => pattern.test(line));
        if (seen) return resolve(seen);
        waiters.push({ pattern, resolve });
        void exited.then((code) => reject(new Error(`exited with ${code} before a line matching ${pattern}:\n${lines.join('\n')}`)));
      }),
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const launchApi = (dataDir: string) => launch([path.join(repoRoot, 'api', 'src', 'main.ts')], dataDir);
const LISTENING = /is listening on/;

/** How a start that must be refused ended: its exit code, or 'listened' when it served instead. */
async function outcome(api: Launched): Promise<number | null | 'listened'> {
  return Promise.race([
    api.exited,
    api.line(LISTENING).then(
      async () => {
        await api.stop();
        return 'listened' as const;
      },
      () => new Promise<never>(() => {}), // it exited: the other branch answers
    ),
  ]);
}

async function register(api: RemoteApi, username: string): Promise<void> {
  const result = await api.gql(`mutation { register(input: { username: "${username}", email: "${username}@example.test", password: "a long kept password" }) { me { username } } }`);
  expect(result.errors).toBeUndefined();
}

async function canLogIn(api: RemoteApi, username: string): Promise<boolean> {
  const result = await api.gql<{ login: { me: { username: string } } }>(`mutation { login(input: { login: "${username}", password: "a long kept password" }) { me { username } } }`);
  return result.data?.login.me.username === username;
}

/** Sends as the demo user into their first conversation; returns the message's seq. */
async function sendAsDemo(api: RemoteApi, body: string): Promise<{ conversationId: string; token: string; seq: number }> {
  const login = await api.gql<{ login: { token: string } }>('mutation($p: String!) { login(input: { login: "demo", password: $p }) { token } }', { p: DEMO_PASSWORD });
  const token = login.data!.login.token;
  const list = await api.gql<{ conversations: { nodes: { id: string }[] } }>('{ conversations(first: 1) { nodes { id } } }', {}, token);
  const conversationId = list.data!.conversations.nodes[0]!.id;
  const sent = await api.gql<{ sendMessage: { seq: number } }>('mutation($input: SendMessageInput!) { sendMessage(input: $input) { seq } }', { input: { conversationId, clientMsgId: body.replaceAll(' ', '-'), body } }, token);
  expect(sent.errors).toBeUndefined();
  return { conversationId, token, seq: sent.data!.sendMessage.seq };
}

async function bodies(api: RemoteApi, token: string, conversationId: string): Promise<string[]> {
  const history = await api.gql<{ messages: { messages: { body: string }[] } }>('query($c: ID!) { messages(conversationId: $c, limit: 10) { messages { body } } }', { c: conversationId }, token);
  return history.data!.messages.messages.map((message) => message.body);
}

/**
 * Opens a WebSocket and then never answers: the server's stop waits 30 s for its closing
 * handshake, long enough to start another process meanwhile on a slow machine.
 */
async function silentWebSocket(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.write(
    'GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n',
  );
  const response = await new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
  expect(response).toMatch(/^HTTP\/1.1 101 /);
  socket.pause(); // reads nothing more, so the server's close frame goes unanswered
  return socket;
}

describe('the embedded database has one process at a time', () => {
  it('refuses a second process on the same data folder, names the first, and the first keeps its data', { timeout: 300_000 }, async () => {
    const dataDir = await newDataDir();
    const first = await startApi({ env: environment(dataDir, true) });
    let sentBefore: Awaited<ReturnType<typeof sendAsDemo>>;
    try {
      await register(first, 'first_owner');
      sentBefore = await sendAsDemo(first, 'sent before the second start');

      // The db scripts hold the same lock: not one of them runs beside a server.
      const dbScript = (...chore: string[]) => launch([path.join(repoRoot, 'api', 'src', 'scripts', 'db.ts'), ...chore], dataDir);
      const [second, migrate, reset] = [launchApi(dataDir), dbScript('migrate'), dbScript('reset', '--force')];
      expect(await outcome(second)).toBe(1);
      const logged = second.lines.map((line) => JSON.parse(line) as Record<string, unknown>); // every line one JSON object
      const fatal = logged.find((line) => line.level === 60)!;
      expect(fatal.msg).toContain(`failed to start: The embedded database in ${dataDir} (DATA_DIR) is in use by process ${first.pid}`);
      expect(fatal.msg).toContain(`kill ${first.pid}`);
      expect(fatal.holder).toMatchObject({ pid: first.pid, command: expect.stringContaining('main.ts'), closing: false });
      expect(fatal.code).toBe('DATA_DIR_IN_USE');
      for (const script of [migrate, reset]) {
        expect(await script.exited).toBe(1);
        expect(script.lines.join('\n')).toContain(`is in use by process ${first.pid}`);
      }

      const sentAfter = await sendAsDemo(first, 'sent after the refusals');
      expect(sentAfter.seq).toBe(sentBefore.seq + 1);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);

    const again = await startApi({ env: environment(dataDir) });
    try {
      expect(await canLogIn(again, 'first_owner')).toBe(true);
      const login = await sendAsDemo(again, 'sent after the restart');
      expect((await bodies(again, login.token, sentBefore.conversationId)).slice(-3)).toEqual([
        'sent before the second start',
        'sent after the refusals',
        'sent after the restart',
      ]);
    } finally {
      expect(await again.stop()).toBe(0);
    }
  });

  it('takes over the lock of a process killed with SIGKILL', { timeout: 300_000 }, async () => {
    const dataDir = await newDataDir();
    const killed = await startApi({ env: environment(dataDir) });
    await register(killed, 'before_the_kill');
    process.kill(killed.pid, 'SIGKILL');
    await killed.stop();
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);

    const next = await startApi({ env: environment(dataDir) });
    try {
      expect(next.logs.join('\n')).toContain('took over the embedded database from a process that no longer runs');
      expect(next.logs.join('\n')).toContain(`"pid":${killed.pid}`);
      expect(await canLogIn(next, 'before_the_kill')).toBe(true);
    } finally {
      expect(await next.stop()).toBe(0);
    }
  });

  it('a start during the previous process\'s stop waits for it, then serves the same data', { timeout: 300_000 }, async () => {
    const dataDir = await newDataDir();
    const first = await startApi({ env: environment(dataDir) });
    await register(first, 'across_the_restart');
    const silent = await silentWebSocket(first.port);
    let firstExited = false;
    const firstExit = first.stop().then((code) => {
      firstExited = true;
      return code;
    });

    const next = launchApi(dataDir);
    const waitedOrServed = await Promise.race([
      next.line(/waiting for the previous process to close the embedded database/).then(() => 'waited'),
      next.line(LISTENING).then(() => 'served beside the stopping process'),
    ]);
    expect(waitedOrServed).toBe('waited');
    expect(firstExited).toBe(false);
    silent.destroy();
    expect(await firstExit).toBe(0);
    const listening = JSON.parse(await next.line(LISTENING)) as { port: number };
    const api = remoteApi(`http://127.0.0.1:${listening.port}`);
    try {
      expect(await canLogIn(api, 'across_the_restart')).toBe(true);
    } finally {
      await api.close();
      expect(await next.stop()).toBe(0);
    }
  });
});
