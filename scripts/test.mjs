// `npm test`: everything CI checks, in order, against the real services on this
// machine (PostgreSQL from TEST_DATABASE_URL, default the local server; Redis from
// TEST_REDIS_URL, default the local one; Debian's Chromium for the browser tests).
// It runs every step even after a failure, then prints one line:
//   N passed, N failed, N skipped
import { spawnSync } from 'node:child_process';
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
  if (run(label, command, args, options)) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push(label);
  }
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

check('typecheck', 'npm', ['run', 'typecheck']);

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
