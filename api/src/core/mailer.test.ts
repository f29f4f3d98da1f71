import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../test/mail.js';
import { createLogger } from './logger.js';
import { createMailer, maskAddress, type OutgoingMail } from './mailer.js';

const link = 'http://localhost:4000/reset-password#token=abcdefghijklmnopqrstuvwxyz0123456789';
const mail: OutgoingMail = { to: 'ana@example.test', subject: 'Reset your Dash password', text: `Set a new password: ${link}\n`, html: `<p><a href="${link}">Set</a></p>`, purpose: 'reset-password' };

function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: 'trace', production: false, destination }), lines };
}

describe('mailer', () => {
  let catcher: MailCatcher;
  beforeAll(async () => {
    catcher = await startMailCatcher();
  });
  afterAll(() => catcher.close());

  it('sends over SMTP when SMTP_URL is set, with both parts; the log names the purpose, not the link', async () => {
    const { logger, lines } = capturingLogger();
    const mailer = createMailer({ smtpUrl: catcher.url, from: 'Dash <no-reply@example.test>', dataDir: '/nonexistent', logger });
    await mailer.send(mail);
    const received = await catcher.next((m) => m.to.includes('ana@example.test'));
    expect(received).toMatchObject({ subject: mail.subject, from: 'no-reply@example.test', link });
    expect(received.html).toContain(link);
    expect(lines.join('')).not.toContain('abcdefghijklmnop');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: 'mail sent', purpose: 'reset-password', to: 'a…a@example.test' });
    mailer.close();
  });

  it('writes an .eml file under DATA_DIR/mail without SMTP, and logs where', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'dash-mail-'));
    try {
      const { logger, lines } = capturingLogger();
      const mailer = createMailer({ smtpUrl: undefined, from: 'Dash <no-reply@localhost>', dataDir, logger });
      await mailer.send(mail);
      const [file] = await readdir(path.join(dataDir, 'mail'));
      expect(file).toMatch(/-reset-password\.eml$/);
      const eml = await readFile(path.join(dataDir, 'mail', file!), 'utf8');
      expect(eml).toMatch(/^Subject: Reset your Dash password$/m);
      expect(eml).toContain('multipart/alternative');
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ purpose: 'reset-password', file: path.join(dataDir, 'mail', file!) });
      expect(lines.join('')).not.toContain('abcdefghijklmnop');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('masks addresses for the log', () => {
    expect(maskAddress('ana@example.test')).toBe('a…a@example.test');
    expect(maskAddress('x@example.test')).toBe('x…@example.test');
  });
});
