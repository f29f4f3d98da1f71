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

async function subscribed(user: TestUser): Promise<RawSocket> {
  const socket = rawSocket(server.wsUrl);
  await socket.opened;
  socket.send({ type: 'connection_init', payload: { token: user.token } });
  await socket.next((m) => m.type === 'connection_ack');
  socket.send({ type: 'subscribe', id: 'events', payload: { query: EVENTS_TEXT + MESSAGE_FIELDS_TEXT } });
  return socket;
}

const seqsOf = (socket: RawSocket) =>
  socket.messages
    .filter((m) => m.type === 'next')
    .map((m) => (m.payload as { data: { events: { __typename: string; seq?: number } } }).data.events)
    .filter((event) => event.__typename === 'MessageAddedEvent')
    .map((event) => event.seq!);

it('closes a paused reader past the buffered bound with 1013, and the others receive every message', async () => {
  const [sender, paused, reading] = await Promise.all([registerUser(server), registerUser(server), registerUser(server)]);
  const group = await createGroup(server, sender, [paused, reading]);
  const pausedSocket = await subscribed(paused);
  const readingSocket = await subscribed(reading);
  // Both subscriptions are live once each has received a first message.
  const first = await send(server, sender, group, 'first');
  await Promise.all([pausedSocket, readingSocket].map((s) => s.next((m) => m.type === 'next' && JSON.stringify(m).includes(first.id))));

  pausedSocket.ws.pause();
  const body = 'x'.repeat(3_900);
  const sent: number[] = [first.seq];
  // Until the server lets the paused reader go: the kernel's buffers fill first, then the bound.
  while (server.app.sockets.size > 1) {
    const batch = await Promise.all(Array.from({ length: 20 }, () => send(server, sender, group, body)));
    sent.push(...batch.map((m) => m.seq));
    expect(sent.length, 'the paused reader was never closed').toBeLessThan(20_000);
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
  const received = seqsOf(pausedSocket);
  expect(new Set(received).size).toBe(received.length);
  expect(received.length).toBeLessThan(sent.length);
});
