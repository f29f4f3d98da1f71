// `npm test`: everything CI checks, in order, against the real services on this
// machine (PostgreSQL from TEST_DATABASE_URL, default the local server; Redis from
// TEST_REDIS_URL, default the local one; Debian's Chromium for the browser tests).
// It runs every step even after a failure, then prints one line:
//   N passed, N failed, N skipped
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = `${root}.test-results`;
const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, command, args, options = {}) {
  console.log(`\n── ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options, env: { ...process.env, ...options.env } });
  console.log(`── ${label}: ${result.status === 0 ? 'ok' : `failed (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

/** A step that is not a test suite counts as one check. */
function check(label, command, args, options) {
  count(label, run(label, command, args, options));
}

function count(label, ok) {
  if (ok) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push(label);
  }
}

/**
 * Runs shell commands side by side (each one's output held back and printed whole, in
 * order, when all have ended); true when every one exits 0.
 */
async function runTogether(label, commands) {
  console.log(`\n── ${label}: ${commands.length} at once: ${commands.join(' | ')}`);
  const started = Date.now();
  const results = await Promise.all(
    commands.map(
      (command) =>
        new Promise((resolve) => {
          // As `npm run` would: the workspace's own binaries first on the PATH.
          const env = { ...process.env, PATH: `${root}node_modules/.bin:${process.env.PATH}` };
          const child = spawn(command, { cwd: root, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
          const output = [];
          child.stdout.on('data', (chunk) => output.push(chunk));
          child.stderr.on('data', (chunk) => output.push(chunk));
          const commandStarted = Date.now();
          child.on('close', (code, signal) => resolve({ command, code: code ?? signal, output: Buffer.concat(output), seconds: (Date.now() - commandStarted) / 1000 }));
        }),
    ),
  );
  for (const { command, code, output, seconds } of results) {
    console.log(`── ${command}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${seconds.toFixed(1)} s`);
    if (output.length > 0) process.stdout.write(output);
  }
  const ok = results.every((r) => r.code === 0);
  console.log(`── ${label}: ${ok ? 'ok' : 'failed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function withDatabase(work) {
  const name = `dash_e2e_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return work(url.toString());
  } finally {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleanup.end();
  }
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

// `npm run typecheck`'s commands (api, e2e, bench, web), side by side: each is one process
// on one core, and they share nothing.
const typecheck = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts.typecheck.split('&&').map((command) => command.trim());
count('typecheck', await runTogether('typecheck', typecheck));

// The API's contract: no breaking change to schema.graphql since the last release that
// docs/schema-changes.md does not name (the clients' documents are checked by vitest).
check('schema: breaking changes announced', 'node', ['--import', 'tsx', 'scripts/schema/check.ts', '--breaking']);

// Unit and integration tests of the API (real PostgreSQL and Redis) and the web helpers.
const vitestJson = `${resultsDir}/vitest.json`;
const vitestOk = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const vitest = readJson(vitestJson);
if (vitest) {
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += vitest.numPendingTests + vitest.numTodoTests;
  if (vitest.numFailedTests > 0 || !vitestOk) failures.push('vitest');
  // A run that broke outside any test (a crashed worker, a failed setup) still counts as a failure.
  if (!vitestOk && vitest.numFailedTests === 0) totals.failed += 1;
} else {
  totals.failed += 1;
  failures.push('vitest (no report)');
}

// The web client, built as `npm start` serves it, within its size budget.
check('web build', 'npm', ['run', 'build', '-w', 'web']);
check('web bundle size (login route JS ≤ 260 KB brotli)', 'npm', ['run', 'size', '-w', 'web']);

// End-to-end journeys in Debian's Chromium against the real server on a throwaway database.
if (existsSync(`${root}web/dist/index.html`)) {
  const e2eJson = `${root}e2e/test-results/results.json`;
  rmSync(e2eJson, { force: true });
  const e2eOk = await withDatabase((url) => run('e2e', 'npx', ['playwright', 'test'], { cwd: `${root}e2e`, env: { E2E_DATABASE_URL: url } }));
  const stats = readJson(e2eJson)?.stats;
  if (stats) {
    totals.passed += stats.expected + (stats.flaky ?? 0);
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
    if (stats.unexpected > 0 || !e2eOk) failures.push('e2e');
    if (!e2eOk && stats.unexpected === 0) totals.failed += 1;
  } else {
    totals.failed += 1;
    failures.push('e2e (no report)');
  }
}

// The benchmark once, as a smoke check: it fails on any lost or duplicated delivery, never on a time.
check('benchmark smoke (npm run bench -- --quick)', 'npm', ['run', 'bench', '--', '--quick'], { env: { DATABASE_URL: adminUrl } });

console.log('');
if (failures.length > 0) console.log(`failed steps: ${failures.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length > 0 || totals.failed > 0 ? 1 : 0);
