/**
 * A client that stops reading its socket is closed once what waits for it passes the
 * bound (it then reconnects and syncs), while another member of the same group keeps
 * receiving every message.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../../test/factories.js';
import { createGroup, send } from '../../test/messenger.js';
import { rawSocket, type RawSocket } from '../../test/raw-socket.js';
import { startTestServer, type TestServer } from '../../test/server.js';
import { EVENTS_TEXT, MESSAGE_FIELDS_TEXT } from '../../../web/src/graphql/events.documents.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A signed-in socket with `subscriptions` live `events` subscriptions, `events-0`, `events-1`, …. */
async function subscribed(user: TestUser, subscriptions = 1): Promise<RawSocket> {
  const socket = rawSocket(server.wsUrl);
  await socket.opened;
  socket.send({ type: 'connection_init', payload: { token: user.token } });
  await socket.next((m) => m.type === 'connection_ack');
  for (let i = 0; i < subscriptions; i++) {
    socket.send({ type: 'subscribe', id: `events-${i}`, payload: { query: EVENTS_TEXT + MESSAGE_FIELDS_TEXT } });
  }
  return socket;
}

/** The seqs of the messages one subscription of `socket` received, in arrival order. */
const seqsOf = (socket: RawSocket, id = 'events-0') =>
  socket.messages
    .filter((m) => m.type === 'next' && m.id === id)
    .map((m) => (m.payload as { data: { events: { __typename: string; seq?: number } } }).data.events)
    .filter((event) => event.__typename === 'MessageAddedEvent')
    .map((event) => event.seq!);

/**
 * The paused reader holds this many subscriptions, so each message reaches it this many times:
 * the kernel's socket buffers (several MB on loopback) and then the bound fill that much
 * sooner, and the test needs a few hundred sends rather than thousands, on any machine.
 */
const PAUSED_SUBSCRIPTIONS = 16;

it('closes a paused reader past the buffered bound with 1013, and the others receive every message', async () => {
  const [sender, paused, reading] = await Promise.all([registerUser(server), registerUser(server), registerUser(server)]);
  const group = await createGroup(server, sender, [paused, reading]);
  const pausedSocket = await subscribed(paused, PAUSED_SUBSCRIPTIONS);
  const readingSocket = await subscribed(reading);
  // Every subscription is live once it has received a first, short message. The paused reader
  // has read little when it stops, so the kernel has not grown its receive buffer (Linux grows
  // it as the reader keeps up, up to tcp_rmem's 32 MB here): what fills it is small and alike
  // on any machine.
  const first = await send(server, sender, group, 'first');
  const firstIn = (id: string) => (m: RawSocket['messages'][number]) => m.type === 'next' && m.id === id && JSON.stringify(m).includes(first.id);
  await Promise.all([
    readingSocket.next(firstIn('events-0')),
    ...Array.from({ length: PAUSED_SUBSCRIPTIONS }, (_, i) => pausedSocket.next(firstIn(`events-${i}`))),
  ]);

  pausedSocket.ws.pause();
  // Each message after this one quotes it, so every event carries two bodies of 3,900 characters.
  const body = 'x'.repeat(3_900);
  const quoted = await send(server, sender, group, body);
  const sent: number[] = [first.seq, quoted.seq];
  // Until the server lets the paused reader go: the kernel's buffers fill first, then the bound.
  while (server.app.sockets.size > 1) {
    const batch = await Promise.all(Array.from({ length: 20 }, () => send(server, sender, group, body, { replyToId: quoted.id })));
    sent.push(...batch.map((m) => m.seq));
    expect(sent.length, 'the paused reader was never closed').toBeLessThan(5_000);
  }
  // The reader that reads got everything once, and keeps getting what follows. (Concurrent sends
  // are published as they commit, not always in seq order: clients order by seq.)
  const last = await send(server, sender, group, 'after');
  sent.push(last.seq);
  await readingSocket.next((m) => m.type === 'next' && JSON.stringify(m).includes(last.id));
  sent.sort((a, b) => a - b);
  expect(seqsOf(readingSocket).sort((a, b) => a - b)).toEqual(sent);

  // The paused one, reading again, finds its socket closed: with 1013 if the close frame reached it in time.
  pausedSocket.ws.resume();
  expect((await pausedSocket.closed).code).toBeOneOf([1013, 1006]);
  for (let i = 0; i < PAUSED_SUBSCRIPTIONS; i++) {
    const received = seqsOf(pausedSocket, `events-${i}`);
    expect(new Set(received).size).toBe(received.length);
    expect(received.length).toBeLessThan(sent.length);
  }
});
