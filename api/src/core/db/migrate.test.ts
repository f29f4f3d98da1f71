import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../test/databases.js';
import { openDatabase, pgRunner, type Database } from './database.js';
import { migrate, migrationsDir, readMigrations } from './migrate.js';

let url: string;
let db: Database;
beforeAll(async () => {
  url = await createDatabase('migrate');
  db = await openDatabase({ databaseUrl: url, dataDir: '' });
});
afterAll(async () => {
  await db.close();
  await dropDatabase(url);
});

async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const sql = <T extends pg.QueryResultRow>(query: string) => withClient(url, async (c) => (await c.query<T>(query)).rows);

describe('migrations', () => {
  it('apply to an empty database, then applying them again is a no-op', async () => {
    const names = (await readMigrations()).map((m) => m.name);
    expect(await db.migrate()).toEqual(names);
    const schemaBefore = await sql('SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = \'public\' ORDER BY 1, 2');
    const recordsBefore = await sql('SELECT * FROM "_prisma_migrations" ORDER BY migration_name');

    expect(await db.migrate()).toEqual([]);
    expect(await sql('SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = \'public\' ORDER BY 1, 2')).toEqual(schemaBefore);
    expect(await sql('SELECT * FROM "_prisma_migrations" ORDER BY migration_name')).toEqual(recordsBefore);
  });

  it('are recorded as Prisma records them, with the SHA-256 of migration.sql as checksum', async () => {
    const rows = await sql<{ id: string; migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; rolled_back_at: Date | null }>(
      'SELECT * FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const columns = await sql<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position",
    );
    expect(columns.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
      'id character varying',
      'checksum character varying',
      'finished_at timestamp with time zone',
      'migration_name character varying',
      'logs text',
      'rolled_back_at timestamp with time zone',
      'started_at timestamp with time zone',
      'applied_steps_count integer',
    ]);
    for (const row of rows) {
      const file = await readFile(path.join(migrationsDir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(file).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('refuse to run when an applied migration was edited', async () => {
    const migrations = await readMigrations();
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await withClient(url, async (client) => {
      await expect(migrate(pgRunner(client), edited)).rejects.toThrow(/was edited after it was applied/);
    });
  });

  it('roll back a migration that fails, recording nothing', async () => {
    const scratch = await createDatabase('broken');
    try {
      await withClient(scratch, async (client) => {
        const bad = [{ name: '20990101000000_bad', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();', checksum: 'x' }];
        await expect(migrate(pgRunner(client), bad)).rejects.toThrow(/no_such_function/);
        expect((await client.query("SELECT to_regclass('half_done') AS t")).rows[0].t).toBeNull();
        expect((await client.query('SELECT count(*)::int AS n FROM "_prisma_migrations"')).rows[0].n).toBe(0);
      });
    } finally {
      await dropDatabase(scratch);
    }
  });
});
