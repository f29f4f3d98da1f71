/**
 * The layers' import rule: `core/` (context-free building blocks: database access, errors,
 * pub/sub, limits) imports nothing from `modules/` (features) or `app/` (the wiring), so
 * nothing in it can pull a feature or the whole app along. Tests next to core code start
 * whole servers from the outside and are not held to it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The relative specifiers a file imports or re-exports, statically or dynamically, type-only included. */
export function importsOf(text: string): string[] {
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.[^'"]+)['"]/g)].map((match) => match[1]!);
  return [...new Set(specifiers)];
}

describe('import boundaries', () => {
  it('finds static, type-only, re-exported and dynamic imports', () => {
    const text = `import a from './a.js';\nimport type { B } from "../b.js";\nexport { c } from './c.js';\nconst d = await import('./d.js');\nimport './e.js';`;
    expect(importsOf(text)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './e.js']);
  });

  it('core/ imports nothing from modules/ or app/', () => {
    const files = sourceFiles(path.join(SRC, 'core'));
    expect(files.length).toBeGreaterThan(10);
    const crossings = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .map((specifier) => path.relative(SRC, path.resolve(path.dirname(file), specifier)))
        .filter((target) => /^(modules|app)[/\\]/.test(target))
        .map((target) => `${path.relative(SRC, file)} → ${target}`),
    );
    expect(crossings).toEqual([]);
  });
});
