/**
 * Group commit: work items that arrive while the previous batch is in flight go out
 * together as the next batch. At a trickle every item goes alone, at once (no timer, no
 * added latency); under load a batch holds what arrived during one round trip, so the cost
 * per item falls as the load rises.
 */

export interface BatcherOptions {
  /**
   * The most items in one batch; more wait for the next.
   * @default 64
   */
  maxBatch?: number;
}

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export class Batcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private inFlight = false;
  private readonly maxBatch: number;

  /**
   * @param run does one batch: its answers in the order of `items`. When it throws, every
   * item of the batch is rejected with that error; an item that must fail alone is answered
   * with an Error value instead (it is rejected with it, the others resolve).
   */
  constructor(
    private readonly run: (items: I[]) => Promise<(O | Error)[]>,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
  }

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.inFlight) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.inFlight = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const answers = await this.run(batch.map((pending) => pending.item));
        batch.forEach((pending, i) => {
          const answer = answers[i];
          if (answer instanceof Error) pending.reject(answer);
          else pending.resolve(answer as O);
        });
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.inFlight = false;
  }
}
