/**
 * For tests of what the account mails: a server that sends to a mail catcher (real SMTP),
 * the mails as they arrive, the tokens their links carry, and an account's rows to compare
 * before and after a refusal.
 */
import { vi } from 'vitest';
import { startMailCatcher, type MailCatcher, type ReceivedMail } from './mail.js';
import { startTestServer, type TestServer } from './server.js';

/** PUBLIC_URL of these servers: every link must start with it, whatever Host a request named. */
export const PUBLIC_URL = 'https://chat.example.test';

export interface MailingServer {
  server: TestServer;
  catcher: MailCatcher;
  close(): Promise<void>;
}

/** A test server that mails to its own catcher; `env` as for startTestServer (small limits, say). */
export async function startMailingServer(env: Record<string, string> = {}): Promise<MailingServer> {
  const catcher = await startMailCatcher();
  const server = await startTestServer({ mail: { smtpUrl: catcher.url, from: 'Dash <no-reply@example.test>' }, publicUrl: PUBLIC_URL }, env);
  return {
    server,
    catcher,
    async close() {
      await server.close();
      await catcher.close();
    },
  };
}

const taken = new WeakSet<ReceivedMail>();

/** The first mail to `address` with `subject` that no earlier call returned (arrived already, or awaited). */
export async function nextMail(catcher: MailCatcher, address: string, subject: string): Promise<ReceivedMail> {
  const mail = await catcher.next((m) => !taken.has(m) && m.to.includes(address.toLowerCase()) && m.subject === subject);
  taken.add(mail);
  return mail;
}

/** The token of a mailed link (its fragment's `token`). */
export function tokenOf(mail: ReceivedMail): string {
  const token = new URLSearchParams(new URL(mail.link ?? '').hash.slice(1)).get('token');
  if (!token) throw new Error(`no token in ${mail.link}`);
  return token;
}

/** An account's rows that a refused request must leave as they were. */
export async function accountState(server: TestServer, userId: string) {
  const { prisma } = server.db;
  const [user, sessions, emailTokens] = await Promise.all([
    prisma.user.findUniqueOrThrow({ where: { id: userId } }),
    prisma.session.findMany({ where: { userId }, select: { id: true }, orderBy: { id: 'asc' } }),
    prisma.emailToken.findMany({ where: { userId }, select: { id: true, email: true, usedAt: true }, orderBy: { id: 'asc' } }),
  ]);
  return { user, sessions, emailTokens };
}

/**
 * Runs `work` with Date stopped at the real time and hands it a way to move Date on: the
 * in-memory limiter and the tokens' expiry read Date; timers, PostgreSQL and sockets keep real time.
 */
export async function withStoppedClock(work: (advanceSeconds: (seconds: number) => void) => Promise<void>): Promise<void> {
  let now = Date.now();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
  try {
    await work((seconds) => vi.setSystemTime((now += seconds * 1000)));
  } finally {
    vi.useRealTimers();
  }
}
