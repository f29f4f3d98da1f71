/** The systems under test: the API (one or two child processes) and the raw `ws` baseline. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Target {
  name: 'api' | 'baseline';
  httpUrls: string[];
  wsUrls: string[];
  pids: number[];
  stop(): Promise<void>;
}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = path.join(REPO, 'api', 'src', 'main.ts');

/**
 * A started API process. This launches it as api/test/processes.ts does (`node --import tsx
 * api/src/main.ts`, PORT=0, the port read back from the "is listening on" log line) but
 * without importing that module, which pulls the whole API into the generator's process.
 */
export interface ApiInstance {
  pid: number;
  url: string;
  wsUrl: string;
  logs: string[];
  gql(query: string, variables?: Record<string, unknown>): Promise<{ data?: unknown; errors?: unknown }>;
  stop(): Promise<number | null>;
}

/** @param nodeOptions extra flags for node (`--cpu-prof` is refused in NODE_OPTIONS, so it goes here) */
export async function startApiInstance(env: Record<string, string>, nodeOptions: string[] = []): Promise<ApiInstance> {
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', MAIN], {
    cwd: path.join(REPO, 'api'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const logs: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (logs.length < 1000) logs.push(line);
        if (!line.includes('is listening on')) return;
        try {
          resolve((JSON.parse(line) as { port: number }).port);
        } catch {
          reject(new Error(`no port in the start-up line: ${line}`));
        }
      });
    }
    void exited.then((code) => reject(new Error(`the API exited with ${code} before listening:\n${logs.join('\n')}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    pid: child.pid!,
    url,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    logs,
    async gql(query, variables) {
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return (await response.json()) as { data?: unknown; errors?: unknown };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export function apiTarget(instances: ApiInstance[]): Target {
  return {
    name: 'api',
    httpUrls: instances.map((i) => i.url),
    wsUrls: instances.map((i) => i.wsUrl),
    pids: instances.map((i) => i.pid),
    async stop() {
      await Promise.all(instances.map((i) => i.stop()));
    },
  };
}

const BASELINE = path.join(REPO, 'bench', 'lib', 'baseline-server.mjs');

export async function startBaseline(mapFile: string): Promise<Target> {
  const child = spawn(process.execPath, [BASELINE], {
    env: { PATH: process.env.PATH, BENCH_MAP: mapFile, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const lines: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        if (line.includes('is listening on')) resolve((JSON.parse(line) as { port: number }).port);
      });
    }
    void exited.then((code) => reject(new Error(`the baseline exited with ${code}:\n${lines.join('\n')}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    name: 'baseline',
    httpUrls: [url],
    wsUrls: [`ws://127.0.0.1:${port}/graphql`],
    pids: [child.pid!],
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
