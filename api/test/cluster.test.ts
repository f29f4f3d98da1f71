/**
 * Two real API processes on the same PostgreSQL database and the same Redis, as
 * `docker compose` runs them: events, membership, presence and ended sessions cross
 * from one instance to the other.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { login, registerUser, type TestUser } from './factories.js';
import { connect, createDirect, createGroup, ok, send, type EventStream, type TestEvent } from './messenger.js';
import { wsQuery, type TestServer } from './server.js';
import { asTestServer, startApi, type ApiProcess } from './processes.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const running: ApiProcess[] = [];
/** The two instances, as the factories and messenger helpers take a server. */
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  const env = {
    DATABASE_URL: inject('databaseUrl'),
    REDIS_URL,
    LOG_LEVEL: 'info',
    SEED_DEMO: 'false',
    METRICS: 'true',
    // Every user of these tests registers from 127.0.0.1, and Redis shares the counts.
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000/1m',
    RATE_LIMIT_LOGIN_PER_IP: '100000/1m',
    RATE_LIMIT_REGISTER_PER_IP: '100000/1m',
  };
  const started = await Promise.allSettled([startApi({ env }), startApi({ env })]);
  for (const result of started) {
    if (result.status === 'fulfilled') running.push(result.value);
    else throw result.reason;
  }
  [a, b] = running.map(asTestServer) as [TestServer, TestServer];
});

afterAll(async () => {
  await Promise.all(
    running.map(async (api) => {
      // A clean stop, and no crash along the way; the logs say why otherwise.
      expect(await api.stop(), api.logs.join('\n')).toBe(0);
    }),
  );
});

const isMessage = (id: string) => (event: TestEvent) => event.__typename === 'MessageAddedEvent' && event.message?.id === id;

/** A user registered through instance A (the database is shared, so B knows them too). */
const user = (): Promise<TestUser> => registerUser(a);

/**
 * Events on one subscription arrive in publishing order (one Redis channel, delivered in
 * order), so once a later event arrived, every earlier one that was coming has arrived:
 * this proves something was not delivered without waiting for a timeout.
 */
async function afterFence(stream: EventStream, fenceMessageId: string): Promise<TestEvent[]> {
  await stream.next(isMessage(fenceMessageId));
  return [...stream.events];
}

/** How many event envelopes of `type` the instance has received from Redis (its /metrics). */
async function received(server: TestServer, type: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`dash_events_received_total{type="${type}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('two API processes sharing PostgreSQL and Redis', () => {
  it('sends a conversation\'s events only to the instances that hold one of its members', async () => {
    const [alice, bob, carol, dave] = await Promise.all([user(), user(), user(), user()]);
    const onlyOnA = await createGroup(a, alice, [bob]);
    const fenceGroup = await createGroup(a, alice, [carol]);
    await connect(a, bob);
    const carolOnB = await connect(b, carol);
    // B also holds someone in no conversation with them at all.
    await connect(b, dave);
    const before = await received(b, 'MESSAGE_ADDED');

    for (let i = 0; i < 5; i++) await send(a, alice, onlyOnA, `not for B ${i}`);
    // Published after the five on the same connection: once B has it, B had every one it was going to get.
    const fence = await send(a, alice, fenceGroup, 'fence');
    await carolOnB.stream.next(isMessage(fence.id));
    expect((await received(b, 'MESSAGE_ADDED')) - before).toBe(1);
  });

  it('reaches a member on B of a direct conversation started through A, whose first message follows at once', async () => {
    const [alice, bob] = await Promise.all([user(), user()]);
    const bobOnB = await connect(b, bob);
    const direct = await createDirect(a, alice, bob.id);
    const first = await send(a, alice, direct, 'first words');
    // Either the message itself, or (if it was published before B followed the conversation) the order to sync.
    const heard = await bobOnB.stream.next((e) => isMessage(first.id)(e) || e.__typename === 'SyncRequiredEvent');
    if (heard.__typename === 'SyncRequiredEvent') expect(heard.reason).toBe('EVENTS_INTERRUPTED');
    const second = await send(a, alice, direct, 'and more');
    await bobOnB.stream.next(isMessage(second.id));
  });

  it('delivers a group\'s messages to a member added through A whose socket is on B', async () => {
    const [owner, newcomer] = await Promise.all([user(), user()]);
    const group = await createGroup(a, owner, []);
    const newcomerOnB = await connect(b, newcomer);
    ok(await a.gql('mutation($c: ID!, $u: [ID!]!) { addMembers(conversationId: $c, userIds: $u) { id } }', { c: group, u: [newcomer.id] }, owner.token));
    await newcomerOnB.stream.next((e) => e.__typename === 'MemberJoinedEvent' && e.conversationId === group);
    const hello = await send(a, owner, group, 'welcome');
    await newcomerOnB.stream.next((e) => isMessage(hello.id)(e) || e.__typename === 'SyncRequiredEvent');
    const again = await send(a, owner, group, 'again');
    await newcomerOnB.stream.next(isMessage(again.id));
  });

  it('delivers a message sent through A to subscribers on B and on A, exactly once, with its seq', async () => {
    const [alice, bob, carol] = await Promise.all([user(), user(), user()]);
    const group = await createGroup(a, alice, [bob, carol]);
    const onB = await connect(b, bob);
    const onA = await connect(a, carol);

    const hello = await send(a, alice, group, 'hello across instances');
    const fence = await send(a, alice, group, 'fence');

    for (const { stream } of [onB, onA]) {
      const received = (await afterFence(stream, fence.id)).filter(isMessage(hello.id));
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ conversationId: group, seq: hello.seq, message: { body: 'hello across instances', seq: hello.seq } });
    }
  });

  it('stops delivering to a member removed through A whose socket is on B', async () => {
    const [owner, removed, remaining] = await Promise.all([user(), user(), user()]);
    const group = await createGroup(a, owner, [removed, remaining]);
    // A second conversation of the removed member's carries the fence.
    const direct = await createDirect(a, owner, removed.id);
    const removedOnB = await connect(b, removed);
    const remainingOnB = await connect(b, remaining);
    const ownerOnA = await connect(a, owner);

    ok(await a.gql('mutation($c: ID!, $u: ID!) { removeMember(conversationId: $c, userId: $u) { id } }', { c: group, u: removed.id }, owner.token));
    // Told of their own removal (they keep the group, read-only), the last thing of it they hear.
    await removedOnB.stream.next((e) => e.__typename === 'MemberLeftEvent' && e.conversationId === group && e.userId === removed.id);
    const removedAt = removedOnB.stream.events.length;

    const after = await send(a, owner, group, 'after the removal');
    // Positive control: the remaining members hear it, on B as on A.
    await remainingOnB.stream.next(isMessage(after.id));
    await ownerOnA.stream.next(isMessage(after.id));

    const fence = await send(a, owner, direct, 'fence');
    const sinceRemoval = (await afterFence(removedOnB.stream, fence.id)).slice(removedAt);
    expect(sinceRemoval.filter((e) => e.conversationId === group || e.message?.conversationId === group)).toEqual([]);
  });

  it('tells a person\'s socket on B of a message they deleted for themselves through A, and nobody else', async () => {
    const [me, friend] = await Promise.all([user(), user()]);
    const direct = await createDirect(a, friend, me.id);
    const target = await send(a, friend, direct, 'forget this');
    const meOnB = await connect(b, me);
    const friendOnB = await connect(b, friend);
    ok(await a.gql('mutation($id: ID!) { deleteMessageForMe(messageId: $id) }', { id: target.id }, me.token));
    expect(await meOnB.stream.next((e) => e.__typename === 'MessageHiddenEvent')).toEqual({
      __typename: 'MessageHiddenEvent', conversationId: direct, messageId: target.id, hiddenSeq: 1,
    });
    const fence = await send(a, me, direct, 'fence');
    expect((await afterFence(friendOnB.stream, fence.id)).filter((e) => e.__typename === 'MessageHiddenEvent')).toEqual([]);
  });

  it('shows a user online only through a socket on B as online when asked through A, then offline with lastSeenAt', async () => {
    const [watcher, dave] = await Promise.all([user(), user()]);
    ok(await a.gql('mutation($id: ID!) { addContact(input: { userId: $id }) { id } }', { id: dave.id }, watcher.token));
    const watcherOnA = await connect(a, watcher);
    const presenceOf = (online: boolean) => (e: TestEvent) => e.__typename === 'PresenceEvent' && e.userId === dave.id && e.online === online;
    const query = 'query($username: String!) { user(username: $username) { online lastSeenAt } }';
    type Presence = { user: { online: boolean | null; lastSeenAt: string | null } };

    const daveOnB = b.socket({ token: dave.token });
    await daveOnB.connected;
    await watcherOnA.stream.next(presenceOf(true));
    expect(ok(await a.gql<Presence>(query, { username: dave.username }, watcher.token)).user).toEqual({ online: true, lastSeenAt: null });

    await daveOnB.client.dispose();
    const offline = await watcherOnA.stream.next(presenceOf(false));
    expect(offline.lastSeenAt).toEqual(expect.any(String));
    expect(ok(await a.gql<Presence>(query, { username: dave.username }, watcher.token)).user).toEqual({ online: false, lastSeenAt: offline.lastSeenAt });
  });

  it('closes with 4401 the socket on B of a session revoked through A', async () => {
    const person = await user();
    const laptop = ok(await login(b, person.username)).login;
    const revoked = b.socket({ token: laptop.token });
    const untouched = b.socket({ token: person.token });
    await Promise.all([revoked.connected, untouched.connected]);

    ok(await a.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: laptop.session.id }, person.token));
    expect(await revoked.closed).toEqual({ code: 4401, reason: 'Session ended' });
    // The revoking session's own socket on B stays open and usable.
    expect((await wsQuery<{ me: { id: string } }>(untouched.client, '{ me { id } }')).data?.me.id).toBe(person.id);
  });
});
