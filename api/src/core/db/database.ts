/**
 * Opens the database: PostgreSQL when DATABASE_URL is set, otherwise the embedded
 * PGlite (real PostgreSQL compiled to WASM) kept in DATA_DIR. Both get the same
 * migrations and the same Prisma client.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client.js';
import { migrate, type SqlRunner } from './migrate.js';
import { poolSql, prismaSql, type Sql } from './sql.js';

export type Prisma = PrismaClient;

export interface Database {
  kind: 'postgres' | 'embedded';
  prisma: PrismaClient;
  /** The hot statements' way in (see sql.ts). */
  sql: Sql;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Pool size for PostgreSQL. @default 10 */
  poolSize?: number;
  /** Called for every SQL statement the client runs (tests count them). */
  onQuery?: (sql: string) => void;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10, options.onQuery)
    : openEmbedded(path.join(options.dataDir, 'pglite'), options.onQuery);
}

function clientOptions(onQuery: ((sql: string) => void) | undefined) {
  return onQuery ? { log: [{ emit: 'event' as const, level: 'query' as const }] } : {};
}

function listen(prisma: PrismaClient, onQuery: ((sql: string) => void) | undefined): void {
  if (onQuery) (prisma as PrismaClient<'query'>).$on('query', (event) => onQuery(event.query));
}

function openPostgres(connectionString: string, max: number, onQuery?: (sql: string) => void): Database {
  const pool = new pg.Pool({ connectionString, max });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), ...clientOptions(onQuery) });
  listen(prisma, onQuery);
  return {
    kind: 'postgres',
    prisma,
    sql: poolSql(pool, onQuery),
    async migrate() {
      const client = await pool.connect();
      try {
        return await migrate(pgRunner(client));
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** A migration runner over one PostgreSQL connection. */
export function pgRunner(client: pg.ClientBase): SqlRunner {
  const runner: SqlRunner = {
    async exec(sql) {
      await client.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async transaction(work) {
      await client.query('BEGIN');
      try {
        await work(runner);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
  return runner;
}

async function openEmbedded(dir: string, onQuery?: (sql: string) => void): Promise<Database> {
  await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir, { extensions: { citext } });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db), ...clientOptions(onQuery) });
  listen(prisma, onQuery);
  const runner: SqlRunner = {
    async exec(sql) {
      await db.exec(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
    },
    async transaction(work) {
      await db.transaction(async (tx) => {
        await work({
          exec: async (sql) => void (await tx.exec(sql)),
          query: async <T>(sql: string, params: unknown[] = []) => (await tx.query<T>(sql, params)).rows,
          transaction: () => Promise.reject(new Error('nested transactions are not supported')),
        });
      });
    },
  };
  return {
    kind: 'embedded',
    prisma,
    sql: prismaSql(prisma),
    migrate: () => migrate(runner),
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      await prisma.$disconnect();
      await db.close();
    },
  };
}
