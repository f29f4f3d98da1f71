/**
 * Opens the database: PostgreSQL when DATABASE_URL is set, otherwise the embedded
 * PGlite (real PostgreSQL compiled to WASM) kept in DATA_DIR. Both get the same
 * migrations and the same Prisma client. The embedded database has one process at a
 * time (see data-lock.ts); PostgreSQL is shared by any number of instances by design.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client.js';
import { lockDataDir, type DataDirLock, type LockLog } from './data-lock.js';
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
  /** The PostgreSQL pool's connections now (for metrics); absent for the embedded database, which has no pool. */
  poolUse?: () => PoolUse;
  /** Says that close() follows soon: a process starting on the same embedded database waits for it instead of refusing. */
  closing(): Promise<void>;
  close(): Promise<void>;
}

export interface PoolUse {
  /** Connections open, busy or idle. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
  /** The most connections the pool opens. */
  max: number;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Pool size for PostgreSQL. @default 10 */
  poolSize?: number;
  /** Called for every SQL statement the client runs (tests count them). */
  onQuery?: (sql: string) => void;
  /**
   * Drop everything first (db:reset): the embedded folder is deleted once its lock is held,
   * PostgreSQL's public schema is dropped and created again.
   */
  reset?: boolean;
  /** Told when the embedded database waits for the process that has it, or takes over from a dead one. */
  log?: LockLog;
}

/**
 * Opens the configured database. The embedded one is locked first: it throws
 * DataDirInUseError (data-lock.ts) while another process has it open.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (!options.databaseUrl) return openEmbedded(options);
  const db = openPostgres(options.databaseUrl, options.poolSize ?? 10, options.onQuery);
  if (options.reset) {
    try {
      await db.prisma.$executeRawUnsafe('DROP SCHEMA public CASCADE');
      await db.prisma.$executeRawUnsafe('CREATE SCHEMA public');
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}

/** The database, as a person checks it before dropping it: the embedded folder, or the URL without its password. */
export function describeDatabase({ databaseUrl, dataDir }: Pick<DatabaseOptions, 'databaseUrl' | 'dataDir'>): string {
  if (!databaseUrl) return `the embedded database in ${path.join(dataDir, 'pglite')}`;
  const url = new URL(databaseUrl);
  url.password = '';
  url.searchParams.delete('password'); // libpq takes it as a parameter too
  return `the PostgreSQL database ${url.toString()}`;
}

/**
 * Prisma's own bounds on an interactive transaction are 2 s to get a connection and 5 s in all;
 * past either it answers with an error (INTERNAL to the person). A burst on a busy server
 * reaches them with nothing wrong: ten additions to one sticker pack queue on its row lock, a
 * full pool makes the next transaction wait. These bounds are for a transaction that truly
 * hangs, not for one waiting its turn.
 */
export const TRANSACTION_BOUNDS = { maxWait: 20_000, timeout: 30_000 };

function clientOptions(onQuery: ((sql: string) => void) | undefined) {
  const options = { transactionOptions: TRANSACTION_BOUNDS };
  return onQuery ? { ...options, log: [{ emit: 'event' as const, level: 'query' as const }] } : options;
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
    poolUse: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }),
    async closing() {},
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

async function openEmbedded({ dataDir, reset, onQuery, log }: DatabaseOptions): Promise<Database> {
  await mkdir(dataDir, { recursive: true });
  const lock = await lockDataDir(dataDir, { log });
  try {
    const dir = path.join(dataDir, 'pglite');
    if (reset) await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return embedded(await PGlite.create(dir, { extensions: { citext } }), lock, onQuery);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

function embedded(db: PGlite, lock: DataDirLock, onQuery: ((sql: string) => void) | undefined): Database {
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
    closing: () => lock.closing(),
    async close() {
      try {
        await prisma.$disconnect();
        await db.close();
      } finally {
        await lock.release();
      }
    },
  };
}
