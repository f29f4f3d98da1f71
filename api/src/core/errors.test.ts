import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../config/env.js';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openDatabase } from './db/database.js';
import { ErrorCode, formatError, isTransient, toAppError, UNAVAILABLE_RETRY_AFTER_SECONDS } from './errors.js';

describe('error codes', () => {
  it('are mirrored, all of them, by the web client (web/src/graphql/errors.ts)', async () => {
    const client = await readFile(path.join(repoRoot, 'web', 'src', 'graphql', 'errors.ts'), 'utf8');
    const union = /export type ErrorCode =([^;]+);/.exec(client)?.[1] ?? '';
    const mirrored = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect(mirrored.sort()).toEqual(Object.values(ErrorCode).sort());
  });
});

describe('transient failures', () => {
  /** Real errors, each from the library that throws it in production, not imitations of them. */
  async function realErrors(): Promise<Record<string, unknown>> {
    const caught = (work: () => Promise<unknown>) => work().then(() => new Error('it did not fail'), (error: unknown) => error);
    const db = await openDatabase({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/nowhere', dataDir: '' });
    const offline = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, lazyConnect: true });
    offline.on('error', () => {});
    const retrying = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, retryStrategy: () => 10 });
    retrying.on('error', () => {});
    try {
      return {
        'Prisma, database unreachable': await caught(() => db.prisma.user.findFirst()),
        'the pool, connection refused': await caught(() => db.sql.rows`SELECT 1`),
        'ioredis, not connected': await caught(() => offline.get('key')),
        'ioredis, connection lost': await caught(() => retrying.get('key')),
        'PostgreSQL, shutting down': Object.assign(new pg.DatabaseError('terminating connection due to administrator command', 0, 'error'), { code: '57P01' }),
        'pg-pool, no connection in time': new Error('timeout exceeded when trying to connect'),
        'a wrapped cause': new Error('could not load', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }),
      };
    } finally {
      offline.disconnect();
      retrying.disconnect();
      await db.close();
    }
  }

  it('are UNAVAILABLE with retryAfter, from the database, its pool, Redis and a socket alike', async () => {
    for (const [cause, error] of Object.entries(await realErrors())) {
      expect(isTransient(error), cause).toBe(true);
      expect(toAppError(error).extensions, cause).toEqual({ code: ErrorCode.Unavailable, retryAfter: UNAVAILABLE_RETRY_AFTER_SECONDS });
    }
  });

  it('leave a fault of ours INTERNAL (and logged) and a client mistake its own code', () => {
    const logged: unknown[] = [];
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    expect(formatError({ message: bug.message }, bug, (error) => logged.push(error)).extensions).toEqual({ code: ErrorCode.Internal });
    expect(logged).toEqual([bug]);
    const taken = Object.assign(new pg.DatabaseError('duplicate key value violates unique constraint "users_username_key"', 0, 'error'), {
      code: '23505',
      constraint: 'users_username_key',
      table: 'users',
    });
    expect(isTransient(taken)).toBe(false);
    expect(toAppError(taken).extensions.code).toBe(ErrorCode.Conflict);
  });

  it('are not logged as unexpected: the outage is told once by what failed, not per request', () => {
    const logged: unknown[] = [];
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(formatError({ message: refused.message }, refused, (error) => logged.push(error)).extensions?.code).toBe(ErrorCode.Unavailable);
    expect(logged).toEqual([]);
  });
});
