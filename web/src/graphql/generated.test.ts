/**
 * The committed operation types are what GraphQL Code Generator makes of schema.graphql and
 * the documents as they are now: generated in memory with web/codegen.ts and compared.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config, { GENERATED_FILE } from '../../codegen';

const web = fileURLToPath(new URL('../../', import.meta.url));

describe('src/graphql/generated.ts', () => {
  it('is up to date with schema.graphql and the gql documents (else: npm run codegen -w web)', async () => {
    // `generate` is typed `any` for its watch mode; without a watch it answers the files it made.
    const outputs: { filename: string; content: string }[] = await generate({ ...config, cwd: web, silent: true }, false);
    expect(outputs.map((output) => output.filename)).toEqual([GENERATED_FILE]);
    const committed = readFileSync(path.join(web, GENERATED_FILE), 'utf8');
    expect(committed, 'stale: run `npm run codegen -w web`').toBe(outputs[0]!.content);
  }, 30_000);
});
