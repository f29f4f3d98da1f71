import { readFile } from 'node:fs/promises';
import { createPubSub } from '@graphql-yoga/subscription';
import { describe, expect, it } from 'vitest';
import { buildAppSchema, printAppSchema, schemaFile } from './schema.js';

describe('schema.graphql', () => {
  it('is what the code builds (run `npm run schema` after changing the API)', async () => {
    const committed = await readFile(schemaFile, 'utf8');
    expect(committed).toBe(printAppSchema(await buildAppSchema(createPubSub())));
  });

  it('describes every type and every field', async () => {
    const schema = await buildAppSchema(createPubSub());
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Boolean', 'ID', 'Int', 'Float'].includes(type.name)) continue;
      const root = ['Query', 'Mutation', 'Subscription'].includes(type.name);
      if (!type.description && !root) undocumented.push(type.name);
      if ('getFields' in type) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) undocumented.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });
});
