import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

/** A batch runner whose batches finish when the test says so. */
function controlled() {
  const batches: { items: number[]; finish(answers: (number | Error)[] | Error): void }[] = [];
  const run = (items: number[]) =>
    new Promise<(number | Error)[]>((resolve, reject) => {
      batches.push({ items, finish: (answers) => (answers instanceof Error ? reject(answers) : resolve(answers)) });
    });
  return { batches, run };
}

describe('a batcher (group commit)', () => {
  it('sends an item alone at once, and groups what arrives while a batch is in flight', async () => {
    const { batches, run } = controlled();
    const batcher = new Batcher(run);
    const first = batcher.add(1);
    expect(batches.map((b) => b.items)).toEqual([[1]]);
    const [second, third] = [batcher.add(2), batcher.add(3)];
    expect(batches).toHaveLength(1); // waiting for the first to finish
    batches[0]!.finish([10]);
    expect(await first).toBe(10);
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3]]);
    batches[1]!.finish([20, 30]);
    expect([await second, await third]).toEqual([20, 30]);
  });

  it('rejects one item answered with an Error, every item of a batch that threw, and goes on after both', async () => {
    const { batches, run } = controlled();
    const batcher = new Batcher(run);
    const lone = batcher.add(1);
    const [good, bad] = [batcher.add(2), batcher.add(3)];
    batches[0]!.finish(new Error('database away'));
    await expect(lone).rejects.toThrow('database away');
    batches[1]!.finish([20, new Error('duplicate')]);
    expect(await good).toBe(20);
    await expect(bad).rejects.toThrow('duplicate');
    const later = batcher.add(4);
    batches[2]!.finish([40]);
    expect(await later).toBe(40);
  });

  it('holds at most maxBatch items in one batch', async () => {
    const { batches, run } = controlled();
    const batcher = new Batcher(run, { maxBatch: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => batcher.add(n));
    batches[0]!.finish([1]);
    await Promise.resolve();
    await new Promise(setImmediate);
    batches[1]!.finish([2, 3]);
    await new Promise(setImmediate);
    batches[2]!.finish([4, 5]);
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5]);
    expect(batches.map((b) => b.items)).toEqual([[1], [2, 3], [4, 5]]);
  });
});
