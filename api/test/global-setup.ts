/**
 * Creates one throwaway PostgreSQL database for the test run, migrated once, and drops
 * it afterwards. The server to use comes from TEST_DATABASE_URL (any database on it;
 * ours are created beside it), default postgresql://postgres@127.0.0.1:5432/postgres.
 * Also a throwaway data folder: the test servers' mail without SMTP (every registration
 * mails a link) goes there as .eml files, not into the project's .data.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, adminUrl } from './databases.js';
import { openDatabase } from '../src/core/db/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    dataDir: string;
  }
}

export default async function setup(project: TestProject) {
  const url = await createDatabase('run');
  const db = await openDatabase({ databaseUrl: url, dataDir: '' });
  await db.migrate();
  await db.close();
  project.provide('databaseUrl', url);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dash-test-data-'));
  project.provide('dataDir', dataDir);
  return async () => {
    await dropDatabase(url);
    await rm(dataDir, { recursive: true, force: true });
  };
}

export { adminUrl };
