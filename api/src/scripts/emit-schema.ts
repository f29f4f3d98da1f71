/** Writes schema.graphql at the repository root from the code (`npm run schema`). */
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildAppSchema, printAppSchema, schemaFile } from '../app/schema.js';

const schema = await buildAppSchema(createPubSub());
await writeFile(schemaFile, printAppSchema(schema));
console.log(`wrote ${schemaFile}`);
