/**
 * `npm start` with no DATABASE_URL: the real process on the embedded database in a
 * fresh data folder. It migrates, loads the demo data, serves, and keeps everything
 * across a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/config/env.js';
import { DEMO_PASSWORD } from '../../prisma/seed.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  logs: string[];
}

/** Starts the API as `npm start` does and resolves once it logs that it listens. */
function start(dataDir: string, port: number): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'api', 'src', 'main.ts')], {
    cwd: path.join(repoRoot, 'api'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      if (logs.some((line) => line.includes('is listening on'))) resolve({ child, logs });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${logs.join('\n')}`)));
  });
}

function stop({ child }: Started): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function gql(port: number, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, { me: { username: string } }>; errors?: unknown[] };
}

const LOGIN = 'mutation($login: String!, $password: String!) { login(input: { login: $login, password: $password }) { me { username } } }';

const dataDir = await mkdtemp(path.join(tmpdir(), 'dash-embedded-'));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('embedded start (no DATABASE_URL)', () => {
  it('migrates, seeds the demo data, serves, and keeps data across a restart', { timeout: 90_000 }, async () => {
    const port = await freePort();
    const first = await start(dataDir, port);
    try {
      expect(first.logs.join('\n')).toContain('applied migrations');
      expect(first.logs.join('\n')).toContain('loaded the demo data');
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready', database: 'embedded' });
      expect((await gql(port, LOGIN, { login: 'demo', password: DEMO_PASSWORD })).data?.login?.me.username).toBe('demo');
      const registered = await gql(port, 'mutation { register(input: { username: "kept_user", email: "kept@example.test", password: "a long kept password" }) { me { username } } }');
      expect(registered.errors).toBeUndefined();
    } finally {
      expect(await stop(first)).toBe(0);
    }

    const second = await start(dataDir, port);
    try {
      expect(second.logs.join('\n')).not.toContain('applied migrations');
      expect(second.logs.join('\n')).not.toContain('loaded the demo data');
      expect((await gql(port, LOGIN, { login: 'kept_user', password: 'a long kept password' })).data?.login?.me.username).toBe('kept_user');
      expect((await gql(port, LOGIN, { login: 'demo', password: DEMO_PASSWORD })).data?.login?.me.username).toBe('demo');
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });
});
