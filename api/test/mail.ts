/**
 * A real SMTP server inside the test process (the `smtp-server` package): the API sends to
 * it over SMTP as to any other, and the tests read what arrived, parsed (`mailparser`).
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** The first link in the text part. */
  link: string | null;
  parsed: ParsedMail;
}

export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  mails: ReceivedMail[];
  /** Resolves with the first mail (already received or to come) that matches. */
  next(match: (mail: ReceivedMail) => boolean): Promise<ReceivedMail>;
  /** The mails to `address` so far. */
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const mails: ReceivedMail[] = [];
  const waiting = new Set<{ match: (mail: ReceivedMail) => boolean; resolve: (mail: ReceivedMail) => void }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    async onData(stream, session, callback) {
      try {
        const parsed = await simpleParser(stream);
        const mail: ReceivedMail = {
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : '',
          link: /https?:\/\/\S+/.exec(parsed.text ?? '')?.[0] ?? null,
          parsed,
        };
        mails.push(mail);
        for (const waiter of waiting) {
          if (!waiter.match(mail)) continue;
          waiting.delete(waiter);
          waiter.resolve(mail);
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    next(match) {
      const seen = mails.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiting.add({ match, resolve }));
    },
    to: (address) => mails.filter((mail) => mail.to.includes(address.toLowerCase())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
