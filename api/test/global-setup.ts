/**
 * Creates one throwaway PostgreSQL database for the test run, migrated once, and drops
 * it afterwards. The server to use comes from TEST_DATABASE_URL (any database on it;
 * ours are created beside it), default postgresql://postgres@127.0.0.1:5432/postgres.
 */
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, adminUrl } from './databases.js';
import { openDatabase } from '../src/core/db/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const url = await createDatabase('run');
  const db = await openDatabase({ databaseUrl: url, dataDir: '' });
  await db.migrate();
  await db.close();
  project.provide('databaseUrl', url);
  return async () => {
    await dropDatabase(url);
  };
}

export { adminUrl };
