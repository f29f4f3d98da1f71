/**
 * A person's profile changes live for those who show them (ProfileChangedEvent), through the
 * public API with real sockets: their other devices, their contacts either way and the members
 * of conversations they are in get it; a stranger — even one who may find them — a member who
 * was removed and someone who merely blocked them do not. Blocks do not hide a connected person,
 * exactly as `user` still shows them; and `users(ids)` reads people again on the terms of `user`.
 *
 * Absence is never proven by waiting: after the change, a barrier event of the subscriber's
 * own (waitUntilSubscribed) is awaited; events reach a subscriber in the order they were
 * published, so once the barrier is in, anything the change sent is in too.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { jpegWithGps, upload } from '../../../test/media.js';
import { connect, createDirect, createGroup, EVENT_SELECTION, ok, waitUntilSubscribed, type EventStream, type TestEvent } from '../../../test/messenger.js';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../../test/server.js';

const PERSON = 'id username displayName avatar { id small large }';
const SELECTION = `${EVENT_SELECTION} ... on ProfileChangedEvent { userId user { ${PERSON} } }`;

interface Person {
  id: string;
  username: string;
  displayName: string;
  avatar: { id: string; small: string; large: string } | null;
}
type ProfileEvent = TestEvent & { user: Person };

let server: TestServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'dash-profiles-'));
  server = await startTestServer({ dataDir });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

function users(count: number): Promise<TestUser[]> {
  return Promise.all(Array.from({ length: count }, () => registerUser(server)));
}

async function listen(user: TestUser): Promise<EventStream> {
  return (await connect(server, user, SELECTION)).stream;
}

const profileOf = (user: TestUser) => (e: TestEvent) => e.__typename === 'ProfileChangedEvent' && e.userId === user.id;

/** Whether `stream` got a change of `whose` profile, proven by a barrier of `listener`'s own. */
async function heard(listener: TestUser, stream: EventStream, whose: TestUser): Promise<boolean> {
  await waitUntilSubscribed(server, listener, stream);
  return stream.events.some(profileOf(whose));
}

async function setAvatar(user: TestUser): Promise<string> {
  const { status, body } = await upload(server.url, user.token, 'avatar', await jpegWithGps(200, 200), 'me.jpg', 'image/jpeg');
  if (status !== 201 || !body.id) throw new Error(`upload failed: ${status} ${JSON.stringify(body)}`);
  ok(await server.gql('mutation($m: ID!) { setAvatar(mediaId: $m) { id } }', { m: body.id }, user.token));
  return body.id;
}

async function addContact(owner: TestUser, target: TestUser): Promise<void> {
  ok(await server.gql('mutation($id: ID!) { addContact(input: { userId: $id }) { id } }', { id: target.id }, owner.token));
}

async function block(blocker: TestUser, target: TestUser): Promise<void> {
  ok(await server.gql('mutation($id: ID!) { blockUser(userId: $id) { id } }', { id: target.id }, blocker.token));
}

async function lookup(viewer: TestUser, target: TestUser): Promise<Person | null> {
  return ok(await server.gql<{ user: Person | null }>(`query($u: String!) { user(username: $u) { ${PERSON} } }`, { u: target.username }, viewer.token)).user;
}

function usersById(viewer: TestUser, ids: string[]): Promise<GraphQLResponse<{ users: Person[] }>> {
  return server.gql<{ users: Person[] }>(`query($ids: [ID!]!) { users(ids: $ids) { ${PERSON} } }`, { ids }, viewer.token);
}

describe('a new picture reaches those who show the person', () => {
  it('their other device, their contacts either way and their fellow members get it at once; a stranger who may find them does not', async () => {
    const [person, follower, followed, member, directPeer, stranger] = await users(6);
    await addContact(follower!, person!);
    await addContact(person!, followed!);
    await createGroup(server, person!, [member!]);
    await createDirect(server, directPeer!, person!.id);
    const listeners = [person!, follower!, followed!, member!, directPeer!, stranger!];
    const streams = await Promise.all(listeners.map(listen));

    const mediaId = await setAvatar(person!);
    for (const [i, stream] of streams.slice(0, 5).entries()) {
      const event = (await stream.next(profileOf(person!), `${i}`)) as ProfileEvent;
      expect(event.user).toMatchObject({ id: person!.id, username: person!.username, avatar: { id: mediaId } });
      // The same picture `user` shows them, at URLs that load.
      expect((await lookup(listeners[i]!, person!))?.avatar?.id).toBe(mediaId);
      expect((await fetch(`${server.url}${event.user.avatar!.small}`)).status).toBe(200);
    }
    // The stranger may find the person (everyone may, by default), but shows them nowhere.
    expect((await lookup(stranger!, person!))?.avatar?.id).toBe(mediaId);
    expect(await heard(stranger!, streams[5]!, person!)).toBe(false);

    ok(await server.gql('mutation { removeAvatar { id } }', {}, person!.token));
    const removed = (await streams[3]!.count(profileOf(person!), 2))[1] as ProfileEvent;
    expect(removed.user.avatar).toBeNull();
  });

  it('a display name, bio or user name change goes the same way; a change of privacy or language alone is not news', async () => {
    const [person, member] = await users(2);
    await createGroup(server, person!, [member!]);
    const stream = await listen(member!);

    ok(await server.gql('mutation { updateProfile(input: { displayName: "Renamed Person" }) { id } }', {}, person!.token));
    expect(((await stream.next(profileOf(person!))) as ProfileEvent).user.displayName).toBe('Renamed Person');

    ok(await server.gql('mutation { updateProfile(input: { bio: "Out hiking" }) { id } }', {}, person!.token));
    await stream.count(profileOf(person!), 2);

    const username = `${person!.username.slice(0, 20)}_new`;
    ok(await server.gql('mutation($u: String!) { changeUsername(input: { username: $u }) { id } }', { u: username }, person!.token));
    expect(((await stream.count(profileOf(person!), 3))[2] as ProfileEvent).user.username).toBe(username);

    ok(await server.gql('mutation { updateProfile(input: { whoSeesLastSeen: NOBODY, locale: "ru" }) { id } }', {}, person!.token));
    await waitUntilSubscribed(server, member!, stream);
    expect(stream.events.filter(profileOf(person!))).toHaveLength(3);
  });

  it('a member removed from a group, or gone from it, hears nothing more of those they met only there', async () => {
    const [person, removed, leaver, stays] = await users(4);
    const group = await createGroup(server, person!, [removed!, leaver!, stays!]);
    ok(await server.gql('mutation($id: ID!, $u: ID!) { removeMember(conversationId: $id, userId: $u) { id } }', { id: group, u: removed!.id }, person!.token));
    ok(await server.gql('mutation($id: ID!) { leaveConversation(conversationId: $id) }', { id: group }, leaver!.token));
    const [removedStream, leaverStream, staysStream] = await Promise.all([listen(removed!), listen(leaver!), listen(stays!)]);

    await setAvatar(person!);
    await staysStream.next(profileOf(person!));
    expect(await heard(removed!, removedStream, person!)).toBe(false);
    expect(await heard(leaver!, leaverStream, person!)).toBe(false);
  });
});

describe('blocks', () => {
  it('change nothing between connected people, as `user` still shows each to the other', async () => {
    const [blocker, pest] = await users(2);
    await createDirect(server, pest!, blocker!.id);
    await block(blocker!, pest!);
    const [blockerStream, pestStream] = await Promise.all([listen(blocker!), listen(pest!)]);

    const blockerPicture = await setAvatar(blocker!);
    expect(((await pestStream.next(profileOf(blocker!))) as ProfileEvent).user.avatar?.id).toBe(blockerPicture);
    expect((await lookup(pest!, blocker!))?.avatar?.id).toBe(blockerPicture);

    const pestPicture = await setAvatar(pest!);
    expect(((await blockerStream.next(profileOf(pest!))) as ProfileEvent).user.avatar?.id).toBe(pestPicture);
  });

  it('are no connection: a person blocked by someone they never met is not told of the blocker, nor the blocker of them', async () => {
    const [blocker, pest] = await users(2);
    await block(blocker!, pest!);
    const [blockerStream, pestStream] = await Promise.all([listen(blocker!), listen(pest!)]);

    await setAvatar(blocker!);
    await setAvatar(pest!);
    expect(await heard(pest!, pestStream, blocker!)).toBe(false);
    expect(await heard(blocker!, blockerStream, pest!)).toBe(false);
  });
});

describe('users(ids)', () => {
  it('reads people again on the terms of `user`, in the order asked: oneself, the connected and the findable; not the hidden nor unknown ids', async () => {
    const [viewer, member, findable, hidden] = await users(4);
    await createGroup(server, viewer!, [member!]);
    ok(await server.gql('mutation { updateProfile(input: { whoCanFind: NOBODY }) { id } }', {}, member!.token));
    ok(await server.gql('mutation { updateProfile(input: { whoCanFind: NOBODY }) { id } }', {}, hidden!.token));
    const picture = await setAvatar(member!);

    const ids = [findable!.id, hidden!.id, member!.id.toUpperCase(), '00000000-0000-4000-8000-000000000000', 'not-an-id', viewer!.id, member!.id];
    const found = ok(await usersById(viewer!, ids)).users;
    expect(found.map((u) => u.id)).toEqual([findable!.id, member!.id, viewer!.id]);
    expect(found[1]!.avatar?.id).toBe(picture);
    expect(ok(await usersById(viewer!, [])).users).toEqual([]);
  });

  it('takes at most 100 ids, and a session', async () => {
    const [viewer] = await users(1);
    const tooMany = await usersById(viewer!, Array.from({ length: 101 }, () => viewer!.id));
    expect(tooMany.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await server.gql('query($ids: [ID!]!) { users(ids: $ids) { id } }', { ids: [viewer!.id] })).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});
