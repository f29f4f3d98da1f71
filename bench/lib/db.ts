/**
 * The benchmark's database: a throwaway PostgreSQL database on the server DATABASE_URL
 * points to, or the embedded PGlite in a temporary DATA_DIR; and the bulk seeder
 * (set-based INSERT … SELECT over generate_series / unnest, never row by row).
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

export interface Sql {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Creates `dash_bench_<random>` next to the database `adminUrl` names; returns its URL and a dropper. */
export async function createThrowawayDatabase(adminUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `dash_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function openPostgres(url: string): Promise<Sql> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {}); // a dropped database ends the connection; queries still reject
  await client.connect();
  let closed = false;
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.end();
    },
  };
}

/** The embedded database as the API keeps it (DATA_DIR/pglite); only while no API process has it open. */
export async function openEmbedded(dataDir: string): Promise<Sql> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { citext } = await import('@electric-sql/pglite/contrib/citext');
  const db = await PGlite.create(path.join(dataDir, 'pglite'), { extensions: { citext } });
  let closed = false;
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}

/** Deterministic ids, so the generator knows them without asking: kind 1 user, 2 group, 3 big room, 4 history, 5 history message, 6 search message, 7 search conversation. */
export function uuidOf(kind: number, index: number): string {
  return `${RUN_PREFIX}${kind}-0000-7000-8000-${index.toString(16).padStart(12, '0')}`;
}
/** Random per run, so two runs sharing one Redis never see each other's users in the shared event stream. */
const RUN_PREFIX = randomBytes(4).toString('hex').slice(0, 7);
const UUID_SQL = (kind: number, expr: string) => `('${RUN_PREFIX}${kind}-0000-7000-8000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;

/** A session token in the API's format (`dsh_` + 43 base64url characters) and the hash the sessions table keeps. */
export function tokenFor(secret: string, user: number): { token: string; hash: string } {
  const token = 'dsh_' + createHash('sha256').update(`${secret}:${user}`).digest('base64url');
  return { token, hash: createHash('sha256').update(token).digest('hex') };
}

/** The word of frequency rank r: its digits spelt as consonants, plus "a" ("ba", "cba", …); letters only. */
export function wordOf(rank: number): string {
  return [...String(rank)].map((d) => WORD_LETTERS[Number(d)]).join('') + 'a';
}
const WORD_LETTERS = 'bcdfghjklm';
/** The same word in SQL, from an integer expression. */
const wordSql = (rank: string) => `translate((${rank})::text, '0123456789', '${WORD_LETTERS}') || 'a'`;
export const VOCABULARY = 5000;

export interface SeedPlan {
  users: number;
  groupSize: number;
  bigRoom: number;
  historyMessages: number;
  searchMessages: number;
  searchConversations: number;
  passwordHash: string;
  tokenSecret: string;
}

export interface Seeded {
  groups: number;
  timingsMs: Record<string, number>;
}

/** Loads everything the scenarios need. Every user is in one group of `groupSize`; users 0..bigRoom-1 share the big room. */
export async function seed(sql: Sql, plan: SeedPlan, log: (line: string) => void): Promise<Seeded> {
  const timingsMs: Record<string, number> = {};
  const step = async (name: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    timingsMs[name] = Math.round(performance.now() - started);
    log(`  seeded ${name} in ${(timingsMs[name]! / 1000).toFixed(1)} s`);
  };
  const groups = Math.ceil(plan.users / plan.groupSize);

  await step(`${plan.users} users and sessions`, async () => {
    await sql.query(
      `INSERT INTO users (id, username, email, password_hash, display_name, updated_at)
       SELECT ${UUID_SQL(1, 'g')}, 'bench' || g, 'bench' || g || '@bench.invalid', $1, 'Bench ' || g, now()
       FROM generate_series(0, $2::int - 1) g`,
      [plan.passwordHash, plan.users],
    );
    const ids: string[] = [];
    const hashes: string[] = [];
    for (let i = 0; i < plan.users; i++) {
      ids.push(uuidOf(1, i));
      hashes.push(tokenFor(plan.tokenSecret, i).hash);
    }
    await sql.query(
      `INSERT INTO sessions (id, user_id, token_hash, expires_at, user_agent, ip)
       SELECT gen_random_uuid(), u, h, now() + interval '30 days', 'dash-bench', '127.0.0.1'
       FROM unnest($1::uuid[], $2::text[]) AS t(u, h)`,
      [ids, hashes],
    );
  });

  await step(`${groups} groups of ${plan.groupSize} and a ${plan.bigRoom}-member room`, async () => {
    await sql.query(
      `INSERT INTO conversations (id, kind, title, created_by_id, updated_at)
       SELECT ${UUID_SQL(2, 'g')}, 'GROUP', 'bench group ' || g, ${UUID_SQL(1, `g * ${plan.groupSize}`)}, now()
       FROM generate_series(0, $1::int - 1) g`,
      [groups],
    );
    await sql.query(
      `INSERT INTO memberships (conversation_id, user_id, role)
       SELECT ${UUID_SQL(2, `g / ${plan.groupSize}`)}, ${UUID_SQL(1, 'g')},
              CASE WHEN g % ${plan.groupSize} = 0 THEN 'OWNER'::"MemberRole" ELSE 'MEMBER'::"MemberRole" END
       FROM generate_series(0, $1::int - 1) g`,
      [plan.users],
    );
    await sql.query(`INSERT INTO conversations (id, kind, title, created_by_id, updated_at) VALUES ($1, 'GROUP', 'bench big room', $2, now())`, [uuidOf(3, 0), uuidOf(1, 0)]);
    await sql.query(
      `INSERT INTO memberships (conversation_id, user_id, role)
       SELECT $1::uuid, ${UUID_SQL(1, 'g')}, CASE WHEN g = 0 THEN 'OWNER'::"MemberRole" ELSE 'MEMBER'::"MemberRole" END
       FROM generate_series(0, $2::int - 1) g`,
      [uuidOf(3, 0), plan.bigRoom],
    );
  });

  // Bulk loads go faster without the full-text index, which is rebuilt once afterwards (same definition).
  const [searchIndex] = await sql.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE indexname = 'messages_search_idx'`);
  if (searchIndex) await sql.query(`DROP INDEX messages_search_idx`);

  await step(`history: ${plan.historyMessages} messages in one conversation`, async () => {
    const conv = uuidOf(4, 0);
    await sql.query(`INSERT INTO conversations (id, kind, title, created_by_id, updated_at) VALUES ($1, 'GROUP', 'bench history', $2, now())`, [conv, uuidOf(1, 0)]);
    await sql.query(`INSERT INTO memberships (conversation_id, user_id, role) VALUES ($1, $2, 'OWNER'), ($1, $3, 'MEMBER')`, [conv, uuidOf(1, 0), uuidOf(1, 1)]);
    await sql.query(
      `INSERT INTO messages (id, conversation_id, seq, updated_seq, sender_id, body, created_at)
       SELECT ${UUID_SQL(5, 'g')}, $1::uuid, g, g, CASE WHEN g % 2 = 0 THEN $2::uuid ELSE $3::uuid END,
              'history message ' || g || ' ' || repeat('lorem ipsum ', 8), now() - make_interval(secs => $4::int - g)
       FROM generate_series(1, $4::int) g`,
      [conv, uuidOf(1, 0), uuidOf(1, 1), plan.historyMessages],
    );
    await sql.query(`UPDATE conversations SET seq = $2, last_message_seq = $2, last_message_at = now() WHERE id = $1`, [conv, plan.historyMessages]);
  });

  await step(`search: ${plan.searchMessages} messages in ${plan.searchConversations} conversations`, async () => {
    const s = plan.searchConversations;
    await sql.query(
      `INSERT INTO conversations (id, kind, title, created_by_id, updated_at)
       SELECT ${UUID_SQL(7, 'g')}, 'GROUP', 'bench search ' || g, $1::uuid, now() FROM generate_series(0, $2::int - 1) g`,
      [uuidOf(1, 1), s],
    );
    // (The sessions were last used from 127.0.0.1, where the generator connects from: no IP change to record.)
    // User 1 is in every search conversation, user 0 (who searches) in every other one.
    await sql.query(
      `INSERT INTO memberships (conversation_id, user_id, role)
       SELECT ${UUID_SQL(7, 'g')}, $1::uuid, 'OWNER'::"MemberRole" FROM generate_series(0, $3::int - 1) g
       UNION ALL
       SELECT ${UUID_SQL(7, 'g')}, $2::uuid, 'MEMBER'::"MemberRole" FROM generate_series(0, $3::int - 1, 2) g`,
      [uuidOf(1, 1), uuidOf(1, 0), s],
    );
    // Eight words a message, word rank = floor(5000 · random()³): rank 0 is in ~38 % of messages.
    const batch = 250_000;
    for (let from = 1; from <= plan.searchMessages; from += batch) {
      const to = Math.min(plan.searchMessages, from + batch - 1);
      await sql.query(
        `INSERT INTO messages (id, conversation_id, seq, updated_seq, sender_id, body, created_at)
         SELECT ${UUID_SQL(6, 'g')}, ${UUID_SQL(7, `(g - 1) % ${s}`)}, (g - 1) / ${s} + 1, (g - 1) / ${s} + 1,
                CASE WHEN g % 3 = 0 THEN $1::uuid ELSE $2::uuid END,
                concat_ws(' ', ${Array.from({ length: 8 }, () => wordSql(`floor(${VOCABULARY} * power(random(), 3))::int`)).join(', ')}),
                now() - make_interval(secs => $3::int - g)
         FROM generate_series($4::int, $5::int) g`,
        [uuidOf(1, 0), uuidOf(1, 1), plan.searchMessages, from, to],
      );
    }
    await sql.query(
      `UPDATE conversations c SET seq = x.n, last_message_seq = x.n, last_message_at = now()
       FROM (SELECT conversation_id, max(seq) AS n FROM messages WHERE conversation_id IN (SELECT ${UUID_SQL(7, 'g')} FROM generate_series(0, $1::int - 1) g) GROUP BY conversation_id) x
       WHERE c.id = x.conversation_id`,
      [s],
    );
  });

  if (searchIndex) await step('full-text index rebuilt', () => sql.query(searchIndex.indexdef));
  await step('VACUUM ANALYZE', () => sql.query('VACUUM ANALYZE'));
  return { groups, timingsMs };
}
