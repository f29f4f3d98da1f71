/**
 * The main thread's handle on the generator's workers: threads of this process, or (with
 * `processes`) processes of their own, each with its own table of open files, for more
 * connections than one process may open (20,000 here: `ulimit -n` cannot be raised).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { ClientSpec, Collected, SendPlan } from './worker.js';

/** What the pool needs of a worker, thread or process. */
interface Channel {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: { id: number; result?: unknown; error?: string }) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number | null) => void): void;
  terminate(): Promise<unknown>;
  readonly pid?: number;
}

function startWorker(index: number, size: number, tag: string, processes: boolean): Channel {
  const entry = new URL('./worker-entry.mjs', import.meta.url);
  const workerData = { index, workers: size, tag };
  if (!processes) return new Worker(entry, { workerData }) as unknown as Channel;
  // Structured clone over IPC ('advanced'), as between threads; no inherited --import: the entry registers tsx.
  const child: ChildProcess = fork(entry, [], { serialization: 'advanced', execArgv: [], env: { ...process.env, BENCH_WORKER: JSON.stringify(workerData) } });
  return {
    postMessage: (message) => child.send(message as object),
    on: ((event: string, listener: (...args: never[]) => void) => child.on(event, listener as (...args: unknown[]) => void)) as Channel['on'],
    terminate: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(undefined);
        child.once('exit', resolve);
        child.kill();
      }),
    pid: child.pid,
  };
}

export class Pool {
  private readonly workers: Channel[];
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 0;
  private broken: Error | undefined;

  constructor(readonly size: number, tag: string, processes = false) {
    this.workers = Array.from({ length: size }, (_, index) => {
      const worker = startWorker(index, size, tag, processes);
      worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
        const w = this.waiting.get(id);
        this.waiting.delete(id);
        if (error) w?.reject(new Error(error));
        else w?.resolve(result);
      });
      const fail = (error: Error) => {
        for (const w of this.waiting.values()) w.reject(error);
        this.waiting.clear();
        this.broken ??= error;
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`generator worker ${index} exited with ${code}`)));
      return worker;
    });
  }

  private call<T>(worker: number, type: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.workers[worker]!.postMessage({ id, type, ...args });
    });
  }

  private all<T>(type: string, args: (w: number) => Record<string, unknown> = () => ({})): Promise<T[]> {
    return Promise.all(this.workers.map((_, w) => this.call<T>(w, type, args(w))));
  }

  /** Spreads the clients round-robin over the workers. */
  async connect(clients: ClientSpec[], deadline: number, concurrency = 40) {
    const results = await this.all<{ connected: number; users: number[]; failed: number; skipped: number; firstError?: string; ms: number }>('connect', (w) => ({
      clients: clients.filter((_, i) => i % this.size === w),
      concurrency,
      deadline,
    }));
    return {
      connected: results.reduce((a, r) => a + r.connected, 0),
      users: new Set(results.flatMap((r) => r.users)),
      skipped: results.reduce((a, r) => a + r.skipped, 0),
      failed: results.reduce((a, r) => a + r.failed, 0),
      firstError: results.find((r) => r.firstError)?.firstError,
    };
  }

  disconnect() {
    return this.all('disconnect');
  }

  /** Each worker sends its share: every size-th sender, rate / size. */
  send(plan: SendPlan) {
    return this.all<{ sent: number }>('send', (w) => ({
      plan: { ...plan, rate: plan.rate / this.size, count: Math.ceil(plan.count / this.size), senders: rotate(plan.senders, w, this.size) },
    }));
  }

  async progress(run: number) {
    const results = await this.all<{ pending: number; expected: number; received: number }>('progress', () => ({ run }));
    return results.reduce((a, r) => ({ pending: a.pending + r.pending, expected: a.expected + r.expected, received: a.received + r.received }), { pending: 0, expected: 0, received: 0 });
  }

  collect() {
    return this.all<Collected>('collect');
  }

  mark() {
    return this.all('mark');
  }

  /** The workers' process ids when they are processes (their CPU is not this process's). */
  get pids(): number[] {
    return this.workers.flatMap((worker) => (worker.pid === undefined ? [] : [worker.pid]));
  }

  async close() {
    this.broken ??= new Error('closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Worker w's share of the senders; with fewer senders than workers, every worker gets them all. */
function rotate<T>(items: T[], w: number, size: number): T[] {
  const mine = items.filter((_, i) => i % size === w);
  return mine.length > 0 ? mine : items;
}
