/**
 * The hot statements' way to the database. Prisma's client spends more CPU on a raw
 * statement than PostgreSQL's driver does (its query plan and result mapping: ~45 µs more a
 * statement in a loop of 4,000, and more for an ORM read): for the few
 * statements every message pays for (the session, the send, the sender's row, a history
 * page) that was a sixth of the API's CPU. On PostgreSQL they go straight to the pool
 * Prisma's adapter uses; on the embedded database through Prisma, which owns its one
 * connection (its interactive transactions must not see a stranger's statement).
 */
import type pg from 'pg';
import type { Prisma as PrismaClient } from './database.js';
import { Prisma } from '../../generated/prisma/client.js';

export interface Sql {
  /**
   * Runs one statement outside any transaction and returns its rows, typed as Prisma's
   * `$queryRaw` would type them (uuid and text as strings, timestamptz as Dates, json
   * parsed). Called like `$queryRaw`: as a template tag, or with a `Prisma.sql` statement.
   */
  rows<T>(statement: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T[]>;
}

function statementOf(statement: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql {
  return statement instanceof Prisma.Sql ? statement : Prisma.sql(statement, ...values);
}

/**
 * On PostgreSQL each statement is a named prepared statement: every connection parses and
 * plans it once, not at every execution (planning the send's statement cost PostgreSQL more
 * than running it). Names are given in order of first use; there are a handful of texts,
 * and past PREPARED_MAX (a text built from its input, say) statements run unnamed as before.
 */
const PREPARED_MAX = 100;

export function poolSql(pool: pg.Pool, onQuery?: (sql: string) => void): Sql {
  const names = new Map<string, string>();
  return {
    async rows<T>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) {
      const { text, values: parameters } = statementOf(strings, values);
      onQuery?.(text);
      let name = names.get(text);
      if (name === undefined && names.size < PREPARED_MAX) names.set(text, (name = `dash_${names.size + 1}`));
      return (await pool.query({ name, text, values: parameters })).rows as T[];
    },
  };
}

export function prismaSql(prisma: PrismaClient): Sql {
  return {
    rows: <T>(strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => prisma.$queryRaw<T[]>(statementOf(strings, values)),
  };
}
