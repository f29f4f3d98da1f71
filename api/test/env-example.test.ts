import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, repoRoot } from '../src/config/env.js';

describe('.env.example', () => {
  it('documents every variable the config reads, and its values are accepted', async () => {
    const example = await readFile(path.join(repoRoot, '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!] as const);
    const source = await readFile(path.join(repoRoot, 'api', 'src', 'config', 'env.ts'), 'utf8');
    const read = new Set([...source.matchAll(/(?:env\.|\(')([A-Z][A-Z0-9_]{2,})/g)].map((m) => m[1]!));
    expect([...read].sort()).toEqual([...new Set(documented.map(([name]) => name))].sort());
    expect(() => loadConfig(Object.fromEntries(documented))).not.toThrow();
  });
});
