/**
 * A client that subscribes and completes as fast as it can write cannot make the server
 * hold work for it: operations beyond the per-socket bound are refused at once, and a
 * completed operation leaves nothing behind.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, inject, it } from 'vitest';
import { repoRoot } from '../config/env.js';

function runCycles(cycles: number): Promise<{ before: number; after: number; settled: number }> {
  const script = path.join(repoRoot, 'api', 'test', 'memory', 'subscription-cycles.ts');
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, inject('databaseUrl'), String(cycles)], {
    cwd: path.join(repoRoot, 'api'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('close', (code) => (code === 0 ? resolve(JSON.parse(output.trim().split('\n').at(-1)!)) : reject(new Error(`exited with ${code}: ${output}`))));
  });
}

it('holds the heap within a few MB through 20,000 subscribe/complete cycles sent at once', async () => {
  const { before, after, settled } = await runCycles(20_000);
  // Unbounded, the flood's operations queued up: +84 MB at this point (here, 20,000 cycles).
  expect(after - before).toBeLessThan(30);
  // And nothing stays: a completed operation releases what it held.
  expect(settled - before).toBeLessThan(5);
}, 120_000);
