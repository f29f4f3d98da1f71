/**
 * The stand-alone example client (examples/client) against a real API, as a child process
 * through a TCP hop the test can break: it signs in, catches up, follows the event stream
 * (filling the gap an event lost on the wire leaves), sends (through the send rate limit,
 * and again after an answer was lost), and comes back after its connections were cut while
 * others wrote — with every message of every conversation exactly once, in order.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { request, withRetry } from '../../examples/client/src/http.js';
import { SEND_MESSAGE } from '../../examples/client/src/operations.js';
import { repoRoot } from '../src/config/env.js';
import { registerUser, type TestUser } from './factories.js';
import { connect, createDirect, createGroup, ok } from './messenger.js';
import { startTestServer, type TestServer } from './server.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

interface Line {
  event: string;
  [key: string]: unknown;
}

/** The example's process: its JSON lines as they come, and a way to type into it. */
class ExampleProcess {
  readonly lines: Line[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly waiters: { condition: () => boolean; resolve: () => void; reject: (error: Error) => void }[] = [];
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;

  constructor(env: Record<string, string>) {
    const folder = path.join(repoRoot, 'examples', 'client');
    // Run from its own folder, as its README says; tsx comes from the repository's node_modules.
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: folder,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout }).on('line', (text) => {
      this.lines.push(JSON.parse(text) as Line);
      this.check();
    });
    createInterface({ input: this.child.stderr }).on('line', (text) => this.stderr.push(text));
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code) => {
        for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(`the example exited with ${code}:\n${this.stderr.join('\n')}`));
        resolve(code);
      }),
    );
  }

  /** Resolves once `condition` holds, checked after every line. */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ condition, resolve, reject }));
  }

  /** Resolves with the first line (printed already or to come) that matches. */
  async line(match: (line: Line) => boolean): Promise<Line> {
    await this.until(() => this.lines.some(match));
    return this.lines.find(match)!;
  }

  count(match: (line: Line) => boolean): number {
    return this.lines.filter(match).length;
  }

  /** Types a line: the example sends `body` to the conversation. */
  type(conversationId: string, body: string): void {
    this.child.stdin.write(`${conversationId} ${body}\n`);
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  private check(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.condition()) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}

/** Each conversation's history as the server keeps it, oldest first (ids and bodies). */
async function history(server: TestServer, user: TestUser, conversationId: string): Promise<{ id: string; body: string }[]> {
  const messages: { id: string; seq: number; body: string }[] = [];
  for (let after = 0; ; ) {
    const { changes } = ok(await server.gql<{ changes: { messages: { id: string; seq: number; body: string }[]; toSeq: number; hasMore: boolean } }>(
      'query($id: ID!, $after: Int!) { changes(conversationId: $id, afterSeq: $after) { messages { id seq body } toSeq hasMore } }',
      { id: conversationId, after },
      user.token,
    ));
    messages.push(...changes.messages);
    after = changes.toSeq;
    if (!changes.hasMore) break;
  }
  return messages.sort((a, b) => a.seq - b.seq).map(({ id, body }) => ({ id, body }));
}

let server: TestServer;
let proxy: TcpProxy;
let example: ExampleProcess | undefined;
beforeAll(async () => {
  // A tight send limit, so that the example's burst meets RATE_LIMITED and waits it out.
  server = await startTestServer({}, { RATE_LIMIT_SEND_PER_ACCOUNT: '5/2s' });
  proxy = await startTcpProxy(Number(new URL(server.url).port));
});
afterAll(async () => {
  await example?.stop();
  await proxy.close();
  await server.close();
});

describe('the example client', () => {
  it('gets every message exactly once and in order, across a lost event, a burst, dropped connections and a lost answer', async () => {
    const [reader, alice, bob, stranger] = await Promise.all(Array.from({ length: 4 }, () => registerUser(server)));
    const group = await createGroup(server, alice!, [reader!, bob!], 'Example group');
    const direct = await createDirect(server, alice!, reader!.id);
    const probes = new Set<string>();

    /** Sends as someone else, waiting out the send limit as the example does. */
    const sendAs = async (user: TestUser, conversationId: string, body: string) => {
      const input = { conversationId, body, clientMsgId: randomUUID() };
      await withRetry(() => request(`${server.url}/graphql`, SEND_MESSAGE, { input }, { token: user.token }));
      return body;
    };
    const sendMany = async (user: TestUser, conversationId: string, prefix: string, count: number) => {
      const bodies: string[] = [];
      for (let i = 0; i < count; i++) bodies.push(await sendAs(user, conversationId, `${prefix} ${i}`));
      return bodies;
    };
    const printed = (body: string) => (line: Line) => line.event === 'message' && line.body === body;
    const allPrinted = (bodies: string[]) => example!.until(() => bodies.every((body) => example!.lines.some(printed(body))));
    /** Proves the example's subscription is live: a change only the subscription can bring it, then its removal. */
    const proveLive = async () => {
      const probe = await createGroup(server, reader!, [], `probe ${probes.size}`);
      probes.add(probe);
      await example!.line((line) => line.event === 'message' && line.conversationId === probe);
      ok(await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id, forEveryone: true) }', { id: probe }, reader!.token));
      await example!.line((line) => line.event === 'removed' && line.conversationId === probe);
    };
    const synced = () => example!.count((line) => line.event === 'synced');

    // History from before the client existed comes with its first sync.
    const before = [...(await sendMany(alice!, group, 'before', 3)), ...(await sendMany(alice!, direct, 'before direct', 2))];
    // Alice's own live stream tells when the server has stored what the example sent.
    const watcher = await connect(server, alice!);

    example = new ExampleProcess({ DASH_URL: proxy.url, DASH_LOGIN: reader!.username, DASH_PASSWORD: reader!.password });
    onTestFailed(() => console.error('the example printed, last first:', example!.lines.slice(-40).reverse(), example!.stderr));
    await example.line((line) => line.event === 'synced');
    await allPrinted(before);
    await proveLive();

    // Live.
    await allPrinted([...(await sendMany(alice!, group, 'live', 4)), ...(await sendMany(bob!, group, 'live bob', 2)), await sendAs(alice!, direct, 'live direct')]);

    // An event lost on the wire while the connection stays up: the next one shows the gap, and `changes` fills it.
    const lost = proxy.loseMessage((text) => text.includes('lost on the wire'));
    await sendAs(alice!, group, 'lost on the wire');
    await lost;
    await allPrinted(['lost on the wire', await sendAs(bob!, group, 'after the loss')]);

    // A burst past the send limit (5 per 2 s): the example waits out retryAfter and sends on, in order.
    const burst = Array.from({ length: 8 }, (_, i) => `burst ${i}`);
    for (const body of burst) example.type(group, body);
    await example.until(() => example!.count((line) => line.event === 'sent') === burst.length);
    await allPrinted(burst);
    expect(example.count((line) => line.event === 'retrying' && line.operation === 'sendMessage' && line.reason === 'RATE_LIMITED')).toBeGreaterThan(0);

    // The connections drop. Others write, a conversation the example never saw starts, and the
    // example's own message waits in its outbox.
    const syncsBeforeCut = synced();
    const drops = example.count((line) => line.event === 'disconnected');
    proxy.cut();
    await example.until(() => example!.count((line) => line.event === 'disconnected') > drops);
    example.type(group, 'written offline');
    const offline = (await Promise.all([sendMany(alice!, group, 'offline', 6), sendMany(bob!, group, 'offline bob', 6)])).flat();
    const fresh = await createDirect(server, stranger!, reader!.id);
    const freshBodies = await sendMany(stranger!, fresh, 'new chat', 3);
    proxy.restore();
    await example.until(() => synced() > syncsBeforeCut);
    await allPrinted([...offline, ...freshBodies, 'written offline']);

    // The answer to a send is lost on its way back: the example cannot know it was stored, and
    // sends again, with the same clientMsgId, after the connection is back. Stored once.
    const sends = example.count((line) => line.event === 'sent');
    proxy.loseAnswers();
    example.type(direct, 'answer lost');
    const stored = await watcher.stream.next((event) => event.message?.body === 'answer lost');
    const syncsBeforeLoss = synced();
    proxy.cut();
    proxy.restore();
    await example.until(() => example!.count((line) => line.event === 'sent') > sends);
    const sent = example.lines.filter((line) => line.event === 'sent').at(-1)!;
    expect({ id: sent.id, seq: sent.seq }).toEqual({ id: stored.message!.id, seq: stored.seq });
    await example.until(() => synced() > syncsBeforeLoss);
    await proveLive();
    await allPrinted(['answer lost', ...(await sendMany(alice!, group, 'after', 2)), await sendAs(bob!, group, 'after bob')]);

    // Every conversation as the example printed it is the server's history: each message once, by seq.
    for (const conversationId of [group, direct, fresh]) {
      const kept = await history(server, reader!, conversationId);
      const shown = example.lines.filter((line) => line.event === 'message' && line.conversationId === conversationId);
      expect(shown.map((line) => line.id), `conversation ${conversationId}`).toEqual(kept.map((message) => message.id));
      expect(shown.map((line) => line.seq)).toEqual([...shown.map((line) => line.seq as number)].sort((a, b) => a - b));
      const bodies = kept.map((message) => message.body).filter(Boolean);
      expect(new Set(bodies).size, 'no message stored twice').toBe(bodies.length);
    }
    expect(example.lines.filter((line) => line.event === 'message' && !probes.has(line.conversationId as string) && ![group, direct, fresh].includes(line.conversationId as string))).toEqual([]);
    expect(example.count((line) => line.event === 'sent')).toBe(burst.length + 2);
    expect(example.lines.filter((line) => ['error', 'send-failed', 'updated'].includes(line.event))).toEqual([]);
    expect(await example.stop()).toBe(0);
  });
});
