import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { MAIL_PORT } from './fixtures/mail-port';

const PORT = 4310;
const baseURL = `http://127.0.0.1:${PORT}`;
// Wiped at the start of each run. Specs save the key screens to test-results/screenshots/
// (fixtures/ui.ts, saveScreenshot) and attach them to the report.
const resultsDir = fileURLToPath(new URL('./test-results', import.meta.url));

// The API serves the built client; without it every page is a 404 and the failure would
// look like an app bug. `npm test` at the root builds it first.
const webIndex = fileURLToPath(new URL('../web/dist/index.html', import.meta.url));
if (!existsSync(webIndex)) {
  throw new Error(`${webIndex} is missing: run \`npm run build -w web\` (or the root \`npm test\`) first.`);
}

/**
 * A real PostgreSQL when given one; otherwise the embedded database in a fresh folder,
 * seeded with the demo data on first start and removed when the run ends (after the
 * server has stopped). Workers load this file too but start no server: no folder for them.
 */
function databaseEnv(): Record<string, string> {
  if (process.env.E2E_DATABASE_URL) return { DATABASE_URL: process.env.E2E_DATABASE_URL };
  if (process.env.TEST_WORKER_INDEX !== undefined) return {};
  const dataDir = mkdtempSync(join(tmpdir(), 'dash-e2e-'));
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  return { DATA_DIR: dataDir };
}

export default defineConfig({
  testDir: 'specs',
  // A real SMTP server for the API's mail (fixtures/mail-catcher.ts); specs read it with fixtures/mail.ts.
  globalSetup: './fixtures/mail-catcher.ts',
  outputDir: resultsDir,
  // Two journeys at a time: a journey mostly waits (on the server, the socket, the page), and
  // one at a time kept ~0.7 of the 2 cores busy. They share nothing but the server: each makes
  // its own people (the demo user is only signed in, never changed).
  workers: 2,
  retries: 0,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  // Budgets for a busy machine, not an idle one. Idle, the longest journeys take ~20 s
  // (offline, group) and most under 10 s; CI's 2 cores may be shared with other work, which
  // made a 30 s budget fail a journey that needs 18 s alone. Each journey gets 4–5 times
  // what it needs idle (offline and history set more), and each web-first assertion 20 s:
  // nothing waits a fixed time, so a generous bound costs nothing when all is well.
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['json', { outputFile: join(resultsDir, 'results.json') }]],
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    locale: 'en-US',
    // Debian's Chromium; never `npx playwright install` (its download host is unreachable here).
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: 'npm run serve -w api',
    cwd: '..',
    url: `${baseURL}/readyz`,
    // Start-up compiles the sources (tsx), migrates and seeds: ~5 s idle.
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
      // Mail leaves over SMTP to the test's own server, with links to this server.
      SMTP_URL: `smtp://127.0.0.1:${MAIL_PORT}`,
      MAIL_FROM: 'Dash <no-reply@dash.test>',
      PUBLIC_URL: baseURL,
      // A developer's .env does not reach the server under test.
      ENV_FILE: '',
      // Every journey registers its own people and signs them in from one address, and the
      // offline journey sends 20 messages in a burst: room enough for a whole run, or several.
      RATE_LIMIT_REGISTER_PER_IP: '1000/1h',
      RATE_LIMIT_LOGIN_PER_IP: '1000/15m',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '100/15m',
      RATE_LIMIT_SEND_PER_ACCOUNT: '1000/10s',
      RATE_LIMIT_SEND_PER_IP: '5000/10s',
      ...databaseEnv(),
    },
  },
});
