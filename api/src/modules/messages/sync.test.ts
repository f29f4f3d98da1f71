/**
 * "Nothing lost, nothing twice": a subscriber's socket drops while others send, and
 * the reference sync client (api/test/sync-client.ts) recovers everything exactly once,
 * in order — including a conversation it has never seen and messages sent while it
 * was catching up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { createDirect, createGroup, ok, send, waitUntilSubscribed } from '../../../test/messenger.js';
import { SyncClient } from '../../../test/sync-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function sendMany(sender: TestUser, conversationId: string, prefix: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await send(server, sender, conversationId, `${prefix} ${i}`, { clientMsgId: `${prefix}-${i}` })).id);
  return ids;
}

async function conversationSeq(user: TestUser, id: string): Promise<number> {
  return ok(await server.gql<{ conversation: { seq: number } }>('query($id: ID!) { conversation(id: $id) { seq } }', { id }, user.token)).conversation.seq;
}

describe('sync after a dropped socket', () => {
  it('recovers 200 messages sent while offline, exactly once and in order', async () => {
    const [reader, ...senders] = await Promise.all(Array.from({ length: 5 }, () => registerUser(server)));
    const group = await createGroup(server, senders[0]!, [reader!, ...senders.slice(1)]);
    const client = new SyncClient(server, reader!);

    const first = server.socket({ token: reader!.token });
    await first.connected;
    await client.attach(first.client, (stream) => waitUntilSubscribed(server, reader!, stream));
    const before = await send(server, senders[0]!, group, 'before the drop');
    await client.reaches(group, before.seq);

    // The socket drops. Four people send 50 messages each into the group, and a fifth
    // conversation, which the reader has never seen, starts.
    client.detach();
    await first.client.dispose();
    expect((await first.closed).code).toBe(1000);
    const offline = await Promise.all(senders.map((s, i) => sendMany(s, group, `offline-${i}`, 50)));
    const stranger = await registerUser(server);
    const fresh = await createDirect(server, stranger, reader!.id);
    const freshIds = await sendMany(stranger, fresh, 'new-chat', 7);

    // Back online; more messages keep coming while the client catches up.
    const second = server.socket({ token: reader!.token });
    await second.connected;
    const during = Promise.all(senders.slice(0, 2).map((s, i) => sendMany(s, group, `during-${i}`, 10)));
    await client.attach(second.client, (stream) => waitUntilSubscribed(server, reader!, stream));
    const duringIds = await during;
    const after = await send(server, senders[3]!, group, 'after the catch-up');

    const groupSeq = await conversationSeq(reader!, group);
    await client.reaches(group, groupSeq);

    const expected = [before.id, ...offline.flat(), ...duringIds.flat(), after.id];
    const seen = client.messagesOf(group).filter((m) => m.kind === 'TEXT');
    expect(seen.map((m) => m.id).sort()).toEqual([...expected].sort());
    expect(seen).toHaveLength(1 + 200 + 20 + 1);
    // In order: by seq, and each sender's messages in the order they were sent.
    expect(seen.map((m) => m.seq)).toEqual([...seen.map((m) => m.seq)].sort((a, b) => a - b));
    for (const [i, ids] of offline.entries()) {
      expect(seen.filter((m) => m.body.startsWith(`offline-${i} `)).map((m) => m.id)).toEqual(ids);
    }
    // Exactly once: no message was ever inserted twice.
    expect([...client.inserts.values()].every((n) => n === 1)).toBe(true);
    expect(client.messagesOf(fresh).map((m) => m.id)).toEqual(freshIds);
    expect(client.cursors.get(fresh)).toBe(await conversationSeq(reader!, fresh));
  });

  it('fills a gap in the event stream with `changes`', async () => {
    const [reader, writer] = await Promise.all([registerUser(server), registerUser(server)]);
    const conversationId = await createDirect(server, writer!, reader!.id);
    const client = new SyncClient(server, reader!);
    const socket = server.socket({ token: reader!.token });
    await socket.connected;
    await client.attach(socket.client, (stream) => waitUntilSubscribed(server, reader!, stream));
    // The client thinks it is behind: its cursor is older than the stream.
    const sent = await sendMany(writer!, conversationId, 'gap', 3);
    await client.reaches(conversationId, 3);
    client.cursors.set(conversationId, 1);
    client.view.get(conversationId)!.clear();
    const next = await send(server, writer!, conversationId, 'after the gap');
    await client.reaches(conversationId, next.seq);
    expect(client.gapFills).toBeGreaterThanOrEqual(1);
    expect(client.messagesOf(conversationId).map((m) => m.id)).toEqual([...sent.slice(1), next.id]);
  });
});
