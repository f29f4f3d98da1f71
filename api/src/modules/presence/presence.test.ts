/**
 * Presence and typing, through the public API with real sockets: `online` and
 * `lastSeenAt` on User, PresenceEvent on the `events` stream, both under "who sees my
 * last seen" and blocks, and TypingEvent with its throttle.
 *
 * Absence is never proven by waiting: after the change under test, a barrier event
 * (see `barrier`) is sent to the same subscriber. Events reach a subscriber in the order
 * they were published, so once the barrier is in, anything the change sent is in too.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type GraphQLResponse, type TestServer, type TestSocket } from '../../../test/server.js';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { connect, createDirect, createGroup, ok, send, waitUntilSubscribed, type EventStream, type TestEvent } from '../../../test/messenger.js';
import { TYPING_THROTTLE_MS } from '../conversations/conversations.service.js';

let server: TestServer;
/** How many socket closes the server has finished handling, per user. */
const disconnects = new Map<string, number>();
const disconnectWaiters: { userId: string; count: number; resolve: () => void }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  // The server records lastSeenAt after a socket closed, asynchronously. Wrap the service
  // method it calls so that tests can await the end of that work instead of guessing.
  const presence = server.app.services.presence;
  const original = presence.disconnected.bind(presence);
  presence.disconnected = async (userId: string) => {
    try {
      await original(userId);
    } finally {
      const count = (disconnects.get(userId) ?? 0) + 1;
      disconnects.set(userId, count);
      for (const waiter of [...disconnectWaiters]) {
        if (waiter.userId === userId && waiter.count <= count) {
          disconnectWaiters.splice(disconnectWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    }
  };
});
afterAll(() => server.close());

async function users(count: number): Promise<TestUser[]> {
  return Promise.all(Array.from({ length: count }, () => registerUser(server)));
}

/** Opens a bare socket for `user`; once it resolves, the server has counted it (and announced a first one). */
async function open(user: TestUser): Promise<TestSocket> {
  const socket = server.socket({ token: user.token });
  await socket.connected;
  return socket;
}

/** Closes one of `user`'s sockets and waits until the server has handled it. */
async function close(socket: { client: TestSocket['client'] }, user: TestUser): Promise<void> {
  const handled = new Promise<void>((resolve) => disconnectWaiters.push({ userId: user.id, count: (disconnects.get(user.id) ?? 0) + 1, resolve }));
  await socket.client.dispose();
  await handled;
}

/** Sends the subscriber an event of its own and waits for it: everything published before it has arrived. */
const barrier = (user: TestUser, stream: EventStream) => waitUntilSubscribed(server, user, stream);

interface Presence {
  online: boolean | null;
  lastSeenAt: string | null;
}

async function presenceOf(viewer: TestUser, target: TestUser): Promise<Presence> {
  const data = ok(await server.gql<{ user: Presence | null }>(
    'query($u: String!) { user(username: $u) { online lastSeenAt } }', { u: target.username }, viewer.token));
  if (!data.user) throw new Error(`${viewer.username} cannot see ${target.username}`);
  return data.user;
}

async function updateProfile(user: TestUser, input: Record<string, unknown>): Promise<void> {
  ok(await server.gql('mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }', { input }, user.token));
}

async function addContact(owner: TestUser, target: TestUser): Promise<void> {
  ok(await server.gql('mutation($id: ID!) { addContact(input: { userId: $id }) { id } }', { id: target.id }, owner.token));
}

async function block(blocker: TestUser, target: TestUser): Promise<void> {
  ok(await server.gql('mutation($id: ID!) { blockUser(userId: $id) { id } }', { id: target.id }, blocker.token));
}

function setTyping(user: TestUser, conversationId: string): Promise<GraphQLResponse<{ setTyping: boolean }>> {
  return server.gql<{ setTyping: boolean }>('mutation($id: ID!) { setTyping(conversationId: $id) }', { id: conversationId }, user.token);
}

const presenceFrom = (user: TestUser, online?: boolean) => (e: TestEvent) =>
  e.__typename === 'PresenceEvent' && e.userId === user.id && (online === undefined || e.online === online);

/** Gives `user` a lastSeenAt by opening and closing a socket. */
async function visit(user: TestUser): Promise<void> {
  await close(await open(user), user);
}

describe('online and lastSeenAt', () => {
  it('online while a socket is open; lastSeenAt when it closes', async () => {
    const [user, viewer] = await users(2);
    expect(await presenceOf(viewer!, user!)).toEqual({ online: false, lastSeenAt: null });

    const socket = await open(user!);
    expect(await presenceOf(viewer!, user!)).toEqual({ online: true, lastSeenAt: null });

    const before = Date.now();
    await close(socket, user!);
    const after = Date.now();
    const seen = await presenceOf(viewer!, user!);
    expect(seen.online).toBe(false);
    expect(Date.parse(seen.lastSeenAt!)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(seen.lastSeenAt!)).toBeLessThanOrEqual(after);
  });

  it('with two sockets, closing one keeps the user online; closing the last sets lastSeenAt', async () => {
    const [user, watcher] = await users(2);
    await addContact(watcher!, user!);
    const live = await connect(server, watcher!);
    const first = await open(user!);
    const second = await open(user!);
    await live.stream.next(presenceFrom(user!, true));

    await close(first, user!);
    expect(await presenceOf(watcher!, user!)).toEqual({ online: true, lastSeenAt: null });
    await barrier(watcher!, live.stream);
    expect(live.stream.events.filter(presenceFrom(user!))).toHaveLength(1);

    await close(second, user!);
    const offline = await live.stream.next(presenceFrom(user!, false));
    const seen = await presenceOf(watcher!, user!);
    expect(seen).toEqual({ online: false, lastSeenAt: offline.lastSeenAt });
    expect(seen.lastSeenAt).not.toBeNull();
    expect(live.stream.events.filter(presenceFrom(user!)).map((e) => e.online)).toEqual([true, false]);
  });

  it('shows as "who sees my last seen" allows: EVERYONE, CONTACTS (people the user has in contacts), NOBODY; always to oneself', async () => {
    // The user has `contact`; `fan` has the user (the other direction); `stranger` has nothing.
    const [user, contact, fan, stranger] = await users(4);
    await addContact(user!, contact!);
    await addContact(fan!, user!);
    await visit(user!);
    const own = await presenceOf(user!, user!);
    expect(own.online).toBe(false);
    expect(own.lastSeenAt).not.toBeNull();
    const shown: Presence = { online: false, lastSeenAt: own.lastSeenAt };
    const hidden: Presence = { online: null, lastSeenAt: null };

    const expectations = {
      EVERYONE: { contact: shown, fan: shown, stranger: shown },
      CONTACTS: { contact: shown, fan: hidden, stranger: hidden },
      NOBODY: { contact: hidden, fan: hidden, stranger: hidden },
    } as const;
    for (const [setting, expected] of Object.entries(expectations)) {
      await updateProfile(user!, { whoSeesLastSeen: setting });
      expect({
        contact: await presenceOf(contact!, user!),
        fan: await presenceOf(fan!, user!),
        stranger: await presenceOf(stranger!, user!),
      }, setting).toEqual(expected);
      expect(await presenceOf(user!, user!), setting).toEqual(shown);
    }

    // `online` follows the same rule while the user is online.
    await updateProfile(user!, { whoSeesLastSeen: 'CONTACTS' });
    const socket = await open(user!);
    expect(await presenceOf(contact!, user!)).toMatchObject({ online: true });
    expect(await presenceOf(fan!, user!)).toEqual(hidden);
    expect(await presenceOf(user!, user!)).toMatchObject({ online: true });
    await close(socket, user!);
  });

  it('is never shown to someone the user blocked, even in their direct conversation', async () => {
    const [user, pest, other] = await users(3);
    await addContact(user!, pest!);
    const conversationId = await createDirect(server, pest!, user!.id);
    await visit(user!);
    await block(user!, pest!);
    const socket = await open(user!);

    const asPest = ok(await server.gql<{ conversation: { otherUser: { id: string } & Presence } }>(
      'query($id: ID!) { conversation(id: $id) { otherUser { id online lastSeenAt } } }', { id: conversationId }, pest!.token));
    expect(asPest.conversation.otherUser).toEqual({ id: user!.id, online: null, lastSeenAt: null });
    // Control: someone not blocked sees both.
    const seen = await presenceOf(other!, user!);
    expect(seen.online).toBe(true);
    expect(seen.lastSeenAt).not.toBeNull();
    await close(socket, user!);
  });
});

describe('PresenceEvent', () => {
  it('reaches those who have the user in contacts or share a direct conversation, nobody else', async () => {
    // fan has the user; directMate shares a direct conversation; groupMate only a group;
    // theirContact is in the user's contacts but does not have the user; stranger has nothing.
    const [user, fan, directMate, groupMate, theirContact, stranger] = await users(6);
    await addContact(fan!, user!);
    await createDirect(server, directMate!, user!.id);
    await createGroup(server, groupMate!, [user!]);
    await addContact(user!, theirContact!);
    const audience = { fan: await connect(server, fan!), directMate: await connect(server, directMate!) };
    const others = { groupMate: [groupMate!, await connect(server, groupMate!)], theirContact: [theirContact!, await connect(server, theirContact!)], stranger: [stranger!, await connect(server, stranger!)] } as const;

    const socket = await open(user!);
    for (const live of Object.values(audience)) {
      expect(await live.stream.next(presenceFrom(user!, true))).toEqual({ __typename: 'PresenceEvent', userId: user!.id, online: true, lastSeenAt: null });
    }
    for (const [name, [who, live]] of Object.entries(others)) {
      await barrier(who, live.stream);
      expect(live.stream.events.filter(presenceFrom(user!)), name).toEqual([]);
    }

    await close(socket, user!);
    const { lastSeenAt } = await presenceOf(fan!, user!);
    expect(lastSeenAt).not.toBeNull();
    for (const live of Object.values(audience)) {
      expect(await live.stream.next(presenceFrom(user!, false))).toEqual({ __typename: 'PresenceEvent', userId: user!.id, online: false, lastSeenAt });
    }
    for (const [name, [who, live]] of Object.entries(others)) {
      await barrier(who, live.stream);
      expect(live.stream.events.filter(presenceFrom(user!)), name).toEqual([]);
    }
  });

  it('under CONTACTS reaches only those the user has in contacts, under NOBODY no one', async () => {
    // Both have the user in contacts; the user has only `mutual` back.
    const [user, mutual, oneWay] = await users(3);
    await addContact(mutual!, user!);
    await addContact(oneWay!, user!);
    await addContact(user!, mutual!);
    const mutualLive = await connect(server, mutual!);
    const oneWayLive = await connect(server, oneWay!);

    await updateProfile(user!, { whoSeesLastSeen: 'CONTACTS' });
    let socket = await open(user!);
    await mutualLive.stream.next(presenceFrom(user!, true));
    await close(socket, user!);
    await mutualLive.stream.next(presenceFrom(user!, false));
    await barrier(oneWay!, oneWayLive.stream);
    expect(oneWayLive.stream.events.filter(presenceFrom(user!))).toEqual([]);

    await updateProfile(user!, { whoSeesLastSeen: 'NOBODY' });
    socket = await open(user!);
    await close(socket, user!);
    for (const [who, live] of [[mutual!, mutualLive], [oneWay!, oneWayLive]] as const) {
      await barrier(who, live.stream);
    }
    expect(mutualLive.stream.events.filter(presenceFrom(user!)).map((e) => e.online)).toEqual([true, false]);
    expect(oneWayLive.stream.events.filter(presenceFrom(user!))).toEqual([]);
  });

  it('never reaches someone the user blocked', async () => {
    const [user, pest, friend] = await users(3);
    await addContact(pest!, user!);
    await addContact(friend!, user!);
    await createDirect(server, pest!, user!.id);
    await block(user!, pest!);
    const pestLive = await connect(server, pest!);
    const friendLive = await connect(server, friend!);

    const socket = await open(user!);
    await friendLive.stream.next(presenceFrom(user!, true));
    await close(socket, user!);
    await friendLive.stream.next(presenceFrom(user!, false));
    await barrier(pest!, pestLive.stream);
    expect(pestLive.stream.events.filter(presenceFrom(user!))).toEqual([]);
  });
});

describe('typing', () => {
  it("a member's setTyping reaches the other members, not the typer", async () => {
    const [typer, second, third] = await users(3);
    const group = await createGroup(server, typer!, [second!, third!]);
    const [typerLive, secondLive, thirdLive] = await Promise.all([typer!, second!, third!].map((u) => connect(server, u)));

    expect(ok(await setTyping(typer!, group))).toEqual({ setTyping: true });
    for (const live of [secondLive!, thirdLive!]) {
      expect(await live.stream.next((e) => e.__typename === 'TypingEvent')).toEqual({ __typename: 'TypingEvent', conversationId: group, userId: typer!.id });
    }
    await barrier(typer!, typerLive!.stream);
    expect(typerLive!.stream.events.filter((e) => e.__typename === 'TypingEvent')).toEqual([]);
  });

  it('drops repeats within 3 s: two setTyping then a message give one TypingEvent before the message; after 3 s one goes out again', async () => {
    const [typer, reader] = await users(2);
    const conversationId = await createDirect(server, typer!, reader!.id);
    const live = await connect(server, reader!);
    const inConversation = () => live.stream.events.filter((e) => e.conversationId === conversationId).map((e) => e.__typename);

    // The throttle reads Date.now(): with Date stopped, the two calls are as close as can be
    // however slow the machine, and moving Date on ends the throttle without waiting for it.
    let now = Date.now();
    vi.setSystemTime(now);
    try {
      expect(ok(await setTyping(typer!, conversationId))).toEqual({ setTyping: true });
      expect(ok(await setTyping(typer!, conversationId))).toEqual({ setTyping: true });
      const sent = await send(server, typer!, conversationId, 'done typing');
      await live.stream.next((e) => e.__typename === 'MessageAddedEvent' && e.message?.id === sent.id);
      expect(inConversation()).toEqual(['TypingEvent', 'MessageAddedEvent']);

      vi.setSystemTime((now += TYPING_THROTTLE_MS - 1));
      expect(ok(await setTyping(typer!, conversationId))).toEqual({ setTyping: true });
      vi.setSystemTime((now += 1));
      expect(ok(await setTyping(typer!, conversationId))).toEqual({ setTyping: true });
      const again = await send(server, typer!, conversationId, 'one more thing');
      await live.stream.next((e) => e.__typename === 'MessageAddedEvent' && e.message?.id === again.id);
      expect(inConversation()).toEqual(['TypingEvent', 'MessageAddedEvent', 'TypingEvent', 'MessageAddedEvent']);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a stranger's setTyping is NOT_FOUND, like a conversation that does not exist, and reaches no one", async () => {
    const [member, other, stranger] = await users(3);
    const conversationId = await createDirect(server, member!, other!.id);
    const live = await connect(server, other!);

    const foreign = await setTyping(stranger!, conversationId);
    const missing = await setTyping(stranger!, randomUUID());
    expect(foreign.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect(foreign).toEqual(missing);
    await barrier(other!, live.stream);
    expect(live.stream.events.filter((e) => e.__typename === 'TypingEvent')).toEqual([]);
  });
});
