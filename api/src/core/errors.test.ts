import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../config/env.js';
import { ErrorCode } from './errors.js';

describe('error codes', () => {
  it('are mirrored, all of them, by the web client (web/src/graphql/errors.ts)', async () => {
    const client = await readFile(path.join(repoRoot, 'web', 'src', 'graphql', 'errors.ts'), 'utf8');
    const union = /export type ErrorCode =([^;]+);/.exec(client)?.[1] ?? '';
    const mirrored = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(mirrored.sort()).toEqual(Object.values(ErrorCode).sort());
  });
});
