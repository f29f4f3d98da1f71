/**
 * Mail that leaves the server: over SMTP when SMTP_URL is set (nodemailer), otherwise
 * written to DATA_DIR/mail/ as .eml files that any mail program opens — never silently
 * dropped. The log says where each went (the file, or the SMTP server's answer), never
 * what it holds: a mail may carry a link with a single-use token.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from './logger.js';

/** One mail, with both parts: every client shows one of them. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** What the mail is for, for the log and the file's name (`reset-password`, …). */
  purpose: string;
}

export interface Mailer {
  /** Sends `mail`; resolves once the SMTP server took it or the file is written. */
  send(mail: OutgoingMail): Promise<void>;
  /** Sends `mail` without waiting: a failure is logged, never the caller's. */
  post(mail: OutgoingMail): void;
  close(): void;
}

/** `j…e@example.org`: enough for a host to recognise, not enough to harvest. */
export function maskAddress(address: string): string {
  const [name = '', domain = ''] = address.split('@');
  return `${name.slice(0, 1)}…${name.length > 1 ? name.slice(-1) : ''}@${domain}`;
}

export interface MailerOptions {
  smtpUrl: string | undefined;
  from: string;
  dataDir: string;
  logger: Logger;
}

export function createMailer({ smtpUrl, from, dataDir, logger }: MailerOptions): Mailer {
  const transport: Transporter = smtpUrl
    ? nodemailer.createTransport(smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const folder = path.join(dataDir, 'mail');
  let written = 0;

  async function send(mail: OutgoingMail): Promise<void> {
    const info = (await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html })) as { message?: Buffer; response?: string };
    const to = maskAddress(mail.to);
    if (smtpUrl) {
      logger.info({ purpose: mail.purpose, to, response: info.response }, 'mail sent');
      return;
    }
    await mkdir(folder, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = path.join(folder, `${stamp}-${(written++).toString().padStart(4, '0')}-${mail.purpose}.eml`);
    await writeFile(file, info.message ?? '', { mode: 0o600 });
    logger.info({ purpose: mail.purpose, to, subject: mail.subject, file }, 'mail written to a file (no SMTP_URL): open it with a mail program, or print the newest with `npm run mail:last`');
  }

  return {
    send,
    post(mail) {
      send(mail).catch((error: unknown) => logger.error({ err: error, purpose: mail.purpose, to: maskAddress(mail.to) }, 'mail could not be sent'));
    },
    close: () => transport.close(),
  };
}
