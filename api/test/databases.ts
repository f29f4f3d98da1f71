/** Throwaway PostgreSQL databases for tests, created beside TEST_DATABASE_URL's and dropped after. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database and returns its URL. */
export async function createDatabase(label: string): Promise<string> {
  const name = `dash_test_${label}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  return withDatabase(adminUrl, name);
}

/**
 * Drops a test's database. A pool's end() resolves once its clients were told to close, not
 * once PostgreSQL let them go: a forced drop at that moment terminated a session still closing,
 * and its client threw the FATAL as an uncaught error in the test that had finished (one CI run).
 * So the drop waits (up to 10 s) for the database's sessions to leave; FORCE is for one that never does.
 */
export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await admin(async (client) => {
    for (let waited = 0; waited < 10_000; waited += 20) {
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      if (rows[0]!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}
