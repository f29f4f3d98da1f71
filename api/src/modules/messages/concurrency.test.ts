import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { registerUser } from '../../../test/factories.js';
import { connect, createGroup, ok, send, SEND, type TestMessage } from '../../../test/messenger.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('under concurrency', () => {
  it('20 concurrent senders give seq 1..N with no gap and no duplicate', async () => {
    const people = await Promise.all(Array.from({ length: 20 }, () => registerUser(server)));
    const group = await createGroup(server, people[0]!, people.slice(1));
    const sends = people.flatMap((person, p) =>
      Array.from({ length: 5 }, (_, i) =>
        server.gql<{ sendMessage: TestMessage }>(SEND, { input: { conversationId: group, body: `${p}:${i}`, clientMsgId: `c${p}-${i}` } }, person.token),
      ),
    );
    const sent = (await Promise.all(sends)).map((r) => ok(r).sendMessage);
    const rows = await server.db.prisma.message.findMany({ where: { conversationId: group }, orderBy: { seq: 'asc' } });
    // seq 1 is the group's creation; then the 100 messages.
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    expect(new Set(sent.map((m) => m.seq)).size).toBe(100);
    const conversation = await server.db.prisma.conversation.findUniqueOrThrow({ where: { id: group } });
    expect(conversation).toMatchObject({ seq: 101, lastMessageSeq: 101 });
  });

  it('a send that waited on a membership change reaches the member it added', async () => {
    const [owner, member, newcomer] = await Promise.all([registerUser(server), registerUser(server), registerUser(server)]);
    const group = await createGroup(server, owner!, [member!]);
    const newcomerLive = await connect(server, newcomer!);
    let sending: Promise<TestMessage> | undefined;
    // A change that adds a member holds the conversation's row lock; the send queues behind it,
    // and its statement's snapshot predates the new member. The transaction stays open until
    // PostgreSQL shows a session blocked by it (the send), however long that takes to arrive.
    await server.db.prisma.$transaction(
      async (tx) => {
        const [{ seq }] = await tx.$queryRaw<[{ seq: number }]>`UPDATE conversations SET seq = seq + 1 WHERE id = ${group}::uuid RETURNING seq`;
        await tx.$executeRaw`INSERT INTO memberships (conversation_id, user_id, joined_seq) VALUES (${group}::uuid, ${newcomer!.id}::uuid, ${seq})`;
        sending = send(server, owner!, group, 'after you joined');
        await expect
          .poll(
            async () => {
              const [{ blocked }] = await tx.$queryRaw<[{ blocked: number }]>`
                SELECT count(*)::int AS blocked FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`;
              return blocked;
            },
            { message: 'the send waits for the lock', timeout: 30_000, interval: 10 },
          )
          .toBeGreaterThan(0);
      },
      // Prisma would end an interactive transaction after 5 s: a busy machine may need longer.
      { timeout: 60_000, maxWait: 30_000 },
    );
    const message = await sending!;
    const event = await newcomerLive.stream.next((e) => e.__typename === 'MessageAddedEvent' && e.message?.id === message.id);
    expect(event.seq).toBe(message.seq);
  });

  it('concurrent retries of one send (same clientMsgId) store one message and answer it to all', async () => {
    const [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, alice!, [bob!]);
    const input = { conversationId: group, body: 'only once', clientMsgId: randomUUID() };
    const answers = await Promise.all(Array.from({ length: 12 }, () => server.gql<{ sendMessage: TestMessage }>(SEND, { input }, alice!.token)));
    const messages = answers.map((a) => ok(a).sendMessage);
    expect(new Set(messages.map((m) => m.id)).size).toBe(1);
    expect(messages[0]).toMatchObject({ body: 'only once', clientMsgId: input.clientMsgId, seq: 2 });
    expect(await server.db.prisma.message.count({ where: { conversationId: group, kind: 'TEXT' } })).toBe(1);
    // The losers' transactions gave their seq back: the next message is 3.
    const next = ok(await server.gql<{ sendMessage: TestMessage }>(SEND, { input: { ...input, clientMsgId: randomUUID(), body: 'next' } }, alice!.token));
    expect(next.sendMessage.seq).toBe(3);
  });

  it('a retry after success returns the first result without a new seq', async () => {
    const [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, alice!, [bob!]);
    const input = { conversationId: group, body: 'hello', clientMsgId: 'retry-1' };
    const first = ok(await server.gql<{ sendMessage: TestMessage }>(SEND, { input }, alice!.token)).sendMessage;
    const again = ok(await server.gql<{ sendMessage: TestMessage }>(SEND, { input: { ...input, body: 'changed body' } }, alice!.token)).sendMessage;
    expect(again).toEqual(first);
    expect((await server.db.prisma.conversation.findUniqueOrThrow({ where: { id: group } })).seq).toBe(first.seq);
  });

  it('concurrent createDirectConversation from both sides gives one conversation', async () => {
    const [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    const calls = Array.from({ length: 10 }, (_, i) =>
      server.gql<{ createDirectConversation: { id: string } }>(
        'mutation($id: ID!) { createDirectConversation(userId: $id) { id } }',
        { id: i % 2 ? alice!.id : bob!.id },
        i % 2 ? bob!.token : alice!.token,
      ),
    );
    const ids = (await Promise.all(calls)).map((r) => ok(r).createDirectConversation.id);
    expect(new Set(ids).size).toBe(1);
    expect(await server.db.prisma.membership.count({ where: { conversationId: ids[0] } })).toBe(2);
    expect(await server.db.prisma.conversation.count({ where: { members: { some: { userId: alice!.id } }, kind: 'DIRECT' } })).toBe(1);
  });
});
