/** `npm run mail:last` prints the newest mail written to DATA_DIR/mail, link and all. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../src/config/env.js';
import { createLogger } from '../src/core/logger.js';
import { createMailer } from '../src/core/mailer.js';

it('prints the newest mail of DATA_DIR/mail with its link, and says so when there is none', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dash-last-mail-'));
  const run = () =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'api', 'src', 'scripts', 'last-mail.ts')], {
      cwd: path.join(repoRoot, 'api'),
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ENV_FILE: '', DATA_DIR: dataDir },
    });
  try {
    expect(run().stdout).toContain('No mail in');
    const mailer = createMailer({ smtpUrl: undefined, from: 'Dash <no-reply@localhost>', dataDir, logger: createLogger({ level: 'silent', production: false }) });
    const link = 'http://localhost:4000/reset-password#token=abc123abc123abc123abc123';
    await mailer.send({ to: 'demo@example.test', subject: 'First', text: 'old\n', html: '<p>old</p>', purpose: 'verify-email' });
    await mailer.send({ to: 'demo@example.test', subject: 'Reset your Dash password', text: `Set a new password: ${link}\n`, html: `<a href="${link}">x</a>`, purpose: 'reset-password' });
    const { stdout, status } = run();
    expect(status).toBe(0);
    expect(stdout).toContain('Subject: Reset your Dash password');
    expect(stdout).toContain(link);
    expect(stdout).not.toContain('Subject: First');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
