/**
 * Sockets that go away in the middle of their handshake — while the session is checked,
 * while presence is counted — leave nothing behind: the user ends offline, the registry
 * of sockets by session ends empty.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../../test/factories.js';
import { rawSocket } from '../../test/raw-socket.js';
import { startTestServer, type TestServer } from '../../test/server.js';

let server: TestServer;
let user: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  user = await registerUser(server);
});
afterAll(() => server.close());

const online = async () => (await server.app.services.presence.online([user.id]))[0];

/** Opens a socket, signs in and drops it after `delay` steps of the event loop (0: in the same tick as the init). */
async function connectAndDrop(delay: number, terminate: boolean): Promise<void> {
  const socket = rawSocket(server.wsUrl);
  await socket.opened;
  socket.send({ type: 'connection_init', payload: { token: user.token } });
  for (let i = 0; i < delay; i++) await new Promise((resolve) => setImmediate(resolve));
  if (terminate) socket.ws.terminate();
  else socket.ws.close();
  await socket.closed;
}

it('ends with the user offline and no socket registered after 300 connects dropped at every point of the handshake', async () => {
  for (let batch = 0; batch < 10; batch++) {
    await Promise.all(Array.from({ length: 30 }, (_, i) => connectAndDrop(i % 15, i % 2 === 0)));
  }
  await expect.poll(() => server.app.sockets.size, { timeout: 60_000 }).toBe(0);
  await expect.poll(online, { timeout: 60_000 }).toBe(false);

  // A socket that stays is counted, and uncounted when it goes: the count was not left below zero either.
  const staying = rawSocket(server.wsUrl);
  await staying.opened;
  staying.send({ type: 'connection_init', payload: { token: user.token } });
  await staying.next((m) => m.type === 'connection_ack');
  await expect.poll(online, { timeout: 60_000 }).toBe(true);
  staying.ws.close();
  await expect.poll(online, { timeout: 60_000 }).toBe(false);
  expect(server.app.sockets.size).toBe(0);
});
