/**
 * `npm run db:reset` from the outside, with no terminal (as in a script or CI): it drops
 * nothing unless given --force, on the embedded database and on PostgreSQL, and names
 * what it would drop without showing a password.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/config/env.js';
import { openDatabase, type DatabaseOptions } from '../src/core/db/database.js';
import { createDatabase, dropDatabase } from './databases.js';

type Target = Pick<DatabaseOptions, 'databaseUrl' | 'dataDir'>;

/** Runs a command with stdin from /dev/null: not a terminal, so nothing can be asked. */
function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { cwd: repoRoot, env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

const dbScript = (args: string[], env: Record<string, string>) => run(process.execPath, ['--import', 'tsx', path.join('api', 'src', 'scripts', 'db.ts'), ...args], env);

const MARKER = 'made_before_the_reset';

/** A migrated database with one user, the marker a reset removes. */
async function populate(target: Target): Promise<void> {
  const db = await openDatabase(target);
  try {
    await db.migrate();
    await db.prisma.user.create({ data: { username: MARKER, email: `${MARKER}@example.test`, passwordHash: 'not a hash', displayName: 'Marker' } });
  } finally {
    await db.close();
  }
}

async function usernames(target: Target): Promise<string[]> {
  const db = await openDatabase(target);
  try {
    return (await db.prisma.user.findMany({ select: { username: true } })).map((user) => user.username);
  } finally {
    await db.close();
  }
}

describe('db:reset without a terminal', () => {
  it('on the embedded database: drops nothing without --force, and resets with it', { timeout: 300_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'dash-reset-'));
    try {
      await populate({ databaseUrl: undefined, dataDir });

      const refused = await dbScript(['reset'], { DATA_DIR: dataDir });
      expect(refused.code).toBe(1);
      expect(refused.output).toContain(`everything in the embedded database in ${path.join(dataDir, 'pglite')}`);
      expect(refused.output).toContain('npm run db:reset -- --force');
      expect(await usernames({ databaseUrl: undefined, dataDir })).toContain(MARKER);

      // Through npm, as the README says: the flag must reach the script, not npm.
      const forced = await run('npm', ['run', 'db:reset', '--', '--force'], { DATA_DIR: dataDir });
      expect(forced.code, forced.output).toBe(0);
      expect(forced.output).toContain('loaded the demo data');
      const after = await usernames({ databaseUrl: undefined, dataDir });
      expect(after).not.toContain(MARKER);
      expect(after).toContain('demo');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('on PostgreSQL: names the database without its password, drops nothing without --force, and resets with it', { timeout: 300_000 }, async () => {
    const plain = await createDatabase('reset');
    const withPassword = new URL(plain);
    withPassword.password = 'never-shown-secret'; // the server here trusts local connections: any password will do
    const target = { databaseUrl: withPassword.toString(), dataDir: '' };
    try {
      await populate(target);

      const refused = await dbScript(['reset'], { DATABASE_URL: target.databaseUrl });
      expect(refused.code).toBe(1);
      expect(refused.output).toContain(`everything in the PostgreSQL database ${plain}`);
      expect(refused.output).not.toContain('never-shown-secret');
      expect(await usernames(target)).toContain(MARKER);

      const forced = await dbScript(['reset', '--force'], { DATABASE_URL: target.databaseUrl });
      expect(forced.code, forced.output).toBe(0);
      const after = await usernames(target);
      expect(after).not.toContain(MARKER);
      expect(after).toContain('demo');
    } finally {
      await dropDatabase(plain);
    }
  });
});
