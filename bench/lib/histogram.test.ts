/** Run: node --import tsx --test bench/lib/histogram.test.ts */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Histogram, bucketHigh, bucketOf } from './histogram.js';

test('buckets are contiguous and ordered, each within 1/64 of its values', () => {
  let previousHigh = -1;
  for (let i = 0; i < 2500; i++) {
    const high = bucketHigh(i);
    const low = previousHigh + 1;
    assert.equal(bucketOf(low), i, `low end of bucket ${i}`);
    assert.equal(bucketOf(high), i, `high end of bucket ${i}`);
    assert.ok(high - low <= Math.max(0, low / 64), `bucket ${i} [${low}, ${high}] too wide`);
    previousHigh = high;
  }
});

test('percentiles match exact order statistics within 1.6 %, never below', () => {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (const scale of [10, 1000, 100_000, 50_000_000]) {
    const h = new Histogram();
    const values: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const v = Math.round(scale * Math.exp(3 * random()) * random());
      values.push(v);
      h.record(v);
    }
    values.sort((a, b) => a - b);
    for (const p of [0.1, 50, 90, 95, 99, 99.9, 100]) {
      const exact = values[Math.max(0, Math.ceil((p / 100) * values.length) - 1)]!;
      const got = h.percentile(p);
      assert.ok(got >= exact, `p${p} at scale ${scale}: ${got} < ${exact}`);
      assert.ok(got <= exact * (1 + 1 / 64) + 1, `p${p} at scale ${scale}: ${got} vs ${exact}`);
    }
    assert.equal(h.max, values.at(-1));
    assert.equal(h.count, values.length);
  }
});

test('merging equals recording everything in one', () => {
  const a = new Histogram();
  const b = new Histogram();
  const all = new Histogram();
  for (let i = 0; i < 5000; i++) {
    const v = (i * 7919) % 300_000;
    (i % 2 ? a : b).record(v);
    all.record(v);
  }
  const merged = Histogram.from(a.toJSON());
  merged.merge(JSON.parse(JSON.stringify(b.toJSON())));
  assert.deepEqual(merged.toJSON(), all.toJSON());
  assert.equal(new Histogram().percentile(99), 0);
});
