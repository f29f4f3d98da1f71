/** The systems under test: the API (one or two child processes, and maybe an observer) and the raw `ws` baseline. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Observer } from './observer.js';

/** What a server process holds after a full garbage collection (memory-probe.mjs), in bytes. */
export interface MemorySample {
  /** live JavaScript objects */
  heapUsed: number;
  /** memory outside the JS heap that JS objects own (Buffers, ArrayBuffers) */
  external: number;
  rss: number;
}

export interface Target {
  name: 'api' | 'baseline';
  httpUrls: string[];
  wsUrls: string[];
  pids: number[];
  /**
   * An instance beside the API's that gets no traffic (bench/lib/observer.ts): its CPU is
   * measured on its own, not in `pids`.
   */
  observer?: Observer;
  /** Each process's memory after a full garbage collection. */
  memory(): Promise<MemorySample[]>;
  stop(): Promise<void>;
}

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = path.join(REPO, 'api', 'src', 'main.ts');
/** Node flags that load the memory probe into a server: `gc()` exposed, a SIGUSR2 handler that reports. */
const MEMORY_PROBE = ['--expose-gc', '--import', pathToFileURL(path.join(REPO, 'bench', 'lib', 'memory-probe.mjs')).href];

/**
 * The probe's side of a server's output: `take(line)` consumes its report lines, and
 * `memory()` asks for one (SIGUSR2) and resolves with it, or rejects if the process ends first.
 */
function memoryProbe(child: ChildProcess, exited: Promise<unknown>) {
  const waiting: ((sample: MemorySample) => void)[] = [];
  const gone = exited.then(() => Promise.reject(new Error(`process ${child.pid} exited before reporting its memory`)));
  gone.catch(() => {}); // reported through memory() only
  return {
    take(line: string): boolean {
      if (!line.startsWith('{"benchMemory":')) return false;
      waiting.shift()?.((JSON.parse(line) as { benchMemory: MemorySample }).benchMemory);
      return true;
    },
    memory(): Promise<MemorySample> {
      const sample = new Promise<MemorySample>((resolve) => waiting.push(resolve));
      child.kill('SIGUSR2');
      return Promise.race([sample, gone]);
    },
  };
}

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
  /** The process's memory after a full garbage collection. */
  memory(): Promise<MemorySample>;
  stop(): Promise<number | null>;
}

/** @param nodeOptions extra flags for node (`--cpu-prof` is refused in NODE_OPTIONS, so it goes here) */
export async function startApiInstance(env: Record<string, string>, nodeOptions: string[] = []): Promise<ApiInstance> {
  const child = spawn(process.execPath, [...nodeOptions, ...MEMORY_PROBE, '--import', 'tsx', MAIN], {
    cwd: path.join(REPO, 'api'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const probe = memoryProbe(child, exited);
  const logs: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (probe.take(line)) return;
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
    memory: () => probe.memory(),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The API's instances, which the generator's clients and sends go to, and the observer, which nothing goes to. */
export function apiTarget(instances: ApiInstance[], observer?: Target['observer']): Target {
  return {
    name: 'api',
    httpUrls: instances.map((i) => i.url),
    wsUrls: instances.map((i) => i.wsUrl),
    pids: instances.map((i) => i.pid),
    observer,
    memory: () => Promise.all(instances.map((i) => i.memory())),
    async stop() {
      await Promise.all([...instances.map((i) => i.stop()), observer?.stop()]);
    },
  };
}

const BASELINE = path.join(REPO, 'bench', 'lib', 'baseline-server.mjs');

export async function startBaseline(mapFile: string): Promise<Target> {
  const child = spawn(process.execPath, [...MEMORY_PROBE, BASELINE], {
    env: { PATH: process.env.PATH, BENCH_MAP: mapFile, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const probe = memoryProbe(child, exited);
  const lines: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        if (probe.take(line)) return;
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
    memory: async () => [await probe.memory()],
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
