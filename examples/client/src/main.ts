/**
 * The example client on the command line. It signs in, prints everything it receives as
 * JSON lines on stdout (one object per line, `event` saying what it is), and sends each
 * line typed on stdin as `<conversationId> <message>`.
 *
 *   DASH_URL=http://localhost:4000 DASH_LOGIN=demo DASH_PASSWORD=welcome-to-dash npx tsx src/main.ts
 *
 * DASH_CODE: a code from the authenticator app, for an account with two-factor sign-in on.
 * DASH_TOKEN: a session token instead of DASH_LOGIN and DASH_PASSWORD.
 * Exit codes: 0 stopped (Ctrl-C), 2 not signed in or the session ended, 1 anything else.
 */
import { createInterface } from 'node:readline';
import { DashClient, signIn, type ClientListener } from './client.js';
import { ApiError } from './http.js';
import type { Message } from './operations.js';

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function messageLine(event: 'message' | 'updated', message: Message): Record<string, unknown> {
  const { id, conversationId, seq, updatedSeq, kind, body, edited, deleted, clientMsgId, sender } = message;
  return { event, conversationId, seq, updatedSeq, id, kind, sender: sender?.username ?? null, body, edited, deleted, clientMsgId };
}

async function main(): Promise<number> {
  const url = process.env.DASH_URL ?? 'http://localhost:4000';
  let token = process.env.DASH_TOKEN;
  if (!token) {
    const { DASH_LOGIN: login, DASH_PASSWORD: password, DASH_CODE: code } = process.env;
    if (!login || !password) {
      console.error('Set DASH_LOGIN and DASH_PASSWORD (or DASH_TOKEN), and DASH_URL if the server is not http://localhost:4000.');
      return 2;
    }
    try {
      const signedIn = await signIn(url, login, password, code);
      token = signedIn.token;
      print({ event: 'signed-in', username: signedIn.me.username });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'TWO_FACTOR_REQUIRED') console.error('Two-factor sign-in is on: set DASH_CODE to a current code.');
      else console.error(`Could not sign in: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
  }

  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const listener: ClientListener = {
    added: (message) => print(messageLine('message', message)),
    updated: (message) => print(messageLine('updated', message)),
    removed: (conversationId) => print({ event: 'removed', conversationId }),
    hidden: (conversationId, messageId) => print({ event: 'hidden', conversationId, messageId }),
    titled: (conversationId, title) => print({ event: 'conversation', conversationId, title }),
    synced: (conversations) => print({ event: 'synced', conversations }),
    failed: (error) => print({ event: 'error', code: error instanceof ApiError ? error.code : null, message: error.message }),
    connection: (state, closeCode) => print({ event: state, ...(closeCode !== undefined ? { closeCode } : {}) }),
    ephemeral: (event) => print({ event: 'ephemeral', ...event }),
    retrying: (operation, waitMs, reason) => print({ event: 'retrying', operation, waitMs, reason }),
    ended: (reason) => {
      console.error(reason);
      finish(2);
    },
  };
  const client = new DashClient({ url, token, listener });
  client.start();

  console.error('Type "<conversationId> <message>" and Enter to send; Ctrl-C to stop.');
  createInterface({ input: process.stdin }).on('line', (line) => {
    const match = /^\s*(\S+)\s+(.+)$/.exec(line);
    if (!match) return void console.error('Expected "<conversationId> <message>".');
    const conversationId = match[1]!;
    const body = match[2]!;
    client.send(conversationId, body).then(
      (sent) => print({ event: 'sent', conversationId: sent.conversationId, seq: sent.seq, id: sent.id, clientMsgId: sent.clientMsgId }),
      (error: unknown) => print({ event: 'send-failed', conversationId, body, code: error instanceof ApiError ? error.code : null, message: (error as Error).message }),
    );
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => finish(0));

  const code = await finished;
  await client.stop();
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
