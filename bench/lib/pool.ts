/** The main thread's handle on the generator's worker threads. */
import { Worker } from 'node:worker_threads';
import type { ClientSpec, Collected, SendPlan } from './worker.js';

export class Pool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 0;
  private broken: Error | undefined;

  constructor(readonly size: number, tag: string) {
    this.workers = Array.from({ length: size }, (_, index) => {
      const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { index, workers: size, tag } });
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
