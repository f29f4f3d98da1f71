/**
 * Users, contacts, blocks and privacy, through the public API against the real
 * database: search and look-up under "who can find me", contacts and blocks, and what a
 * block or "who can message me" refuses — without telling the other side why.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../../test/server.js';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { connect, createDirect, createGroup, ok, send, SEND } from '../../../test/messenger.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface UserView {
  id: string;
  username: string;
  displayName: string;
  isContact: boolean;
  isBlocked: boolean;
}
const USER_FIELDS = 'id username displayName isContact isBlocked';

/** A lower-case token unique to one test, so that a search only meets that test's users. */
const token = () => `t${randomBytes(5).toString('hex')}`;

/** Fresh users with unique names. */
async function users(count: number): Promise<TestUser[]> {
  return Promise.all(Array.from({ length: count }, () => registerUser(server)));
}

async function search(viewer: TestUser, query: string, first?: number): Promise<UserView[]> {
  const data = ok(await server.gql<{ searchUsers: UserView[] }>(
    `query($q: String!, $first: Int) { searchUsers(query: $q, first: $first) { ${USER_FIELDS} } }`,
    { q: query, ...(first === undefined ? {} : { first }) },
    viewer.token,
  ));
  return data.searchUsers;
}

const ids = (list: { id: string }[]) => list.map((u) => u.id);

function lookupRaw(viewer: TestUser, username: string): Promise<GraphQLResponse<{ user: UserView | null }>> {
  return server.gql<{ user: UserView | null }>(`query($u: String!) { user(username: $u) { ${USER_FIELDS} } }`, { u: username }, viewer.token);
}

async function lookup(viewer: TestUser, username: string): Promise<UserView | null> {
  return ok(await lookupRaw(viewer, username)).user;
}

async function updateProfile(user: TestUser, input: Record<string, unknown>): Promise<void> {
  ok(await server.gql('mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id } }', { input }, user.token));
}

function addContactRaw(owner: TestUser, input: { userId?: string; username?: string }) {
  return server.gql<{ addContact: UserView }>(`mutation($input: ContactInput!) { addContact(input: $input) { ${USER_FIELDS} } }`, { input }, owner.token);
}

/** `owner` adds `target` to their contacts (directed: only the owner's list changes). */
async function addContact(owner: TestUser, target: TestUser): Promise<UserView> {
  return ok(await addContactRaw(owner, { userId: target.id })).addContact;
}

async function contacts(owner: TestUser): Promise<UserView[]> {
  return ok(await server.gql<{ contacts: UserView[] }>(`{ contacts { ${USER_FIELDS} } }`, {}, owner.token)).contacts;
}

function blockRaw(blocker: TestUser, target: { id: string }) {
  return server.gql<{ blockUser: UserView }>(`mutation($id: ID!) { blockUser(userId: $id) { ${USER_FIELDS} } }`, { id: target.id }, blocker.token);
}

async function block(blocker: TestUser, target: TestUser): Promise<UserView> {
  return ok(await blockRaw(blocker, target)).blockUser;
}

function createDirectRaw(user: TestUser, otherId: string) {
  return server.gql<{ createDirectConversation: { id: string } }>(
    'mutation($id: ID!) { createDirectConversation(userId: $id) { id } }', { id: otherId }, user.token);
}

/** The single error of a refused operation: its code and message, nothing else. */
function refusal(result: GraphQLResponse<unknown>): { code: string; message: string } {
  expect(result.errors, `expected an error, got ${JSON.stringify(result.data)}`).toHaveLength(1);
  const [error] = result.errors!;
  return { code: error!.extensions.code, message: error!.message };
}

const codeOf = (result: GraphQLResponse<unknown>) => result.errors?.[0]?.extensions.code;

/** What a refusal by "who can message me = CONTACTS" looks like, for comparing other refusals with. */
async function contactsOnlyRefusal(): Promise<{ code: string; message: string }> {
  const [picky, stranger] = await users(2);
  await updateProfile(picky!, { whoCanMessage: 'CONTACTS' });
  return refusal(await createDirectRaw(stranger!, picky!.id));
}

describe('searchUsers', () => {
  it('matches a user-name prefix in any case and with a leading @, and part of a display name', async () => {
    const t = token();
    const [viewer, byName, byDisplay, middle] = await Promise.all([
      registerUser(server),
      registerUser(server, { username: `${t.toUpperCase()}_Name` }),
      registerUser(server),
      registerUser(server, { username: `x${t}` }),
    ]);
    await updateProfile(byDisplay!, { displayName: `Dr ${t} Who` });
    // A user name only matches from its start: `middle` is not found by its user name.
    await updateProfile(middle!, { displayName: 'Someone else' });

    for (const query of [t, t.toUpperCase(), `@${t}`, `@${t.toUpperCase()}_n`]) {
      const found = ids(await search(viewer!, query));
      expect(found, query).toContain(byName!.id);
      expect(found, query).not.toContain(middle!.id);
    }
    expect(ids(await search(viewer!, t)).sort()).toEqual([byName!.id, byDisplay!.id].sort());
    expect(ids(await search(viewer!, `${t} wh`))).toEqual([byDisplay!.id]);
    expect(ids(await search(viewer!, `${t.toUpperCase()} WHO`))).toEqual([byDisplay!.id]);
  });

  it('never lists the viewer', async () => {
    const t = token();
    const [viewer, other] = await Promise.all([
      registerUser(server, { username: `${t}_me` }),
      registerUser(server, { username: `${t}_other` }),
    ]);
    expect(ids(await search(viewer!, t))).toEqual([other!.id]);
    expect(await search(viewer!, `${t}_me`)).toEqual([]);
    expect(ids(await search(other!, `${t}_me`))).toEqual([viewer!.id]);
  });

  it('takes % and _ literally', async () => {
    const t = token();
    const [viewer, underscore, letter, percent, notPercent] = await Promise.all([
      registerUser(server),
      registerUser(server, { username: `${t}_1` }),
      registerUser(server, { username: `${t}x1` }),
      registerUser(server),
      registerUser(server),
    ]);
    await updateProfile(percent!, { displayName: `${t}% sure` });
    await updateProfile(notPercent!, { displayName: `${t}X sure` });

    expect(ids(await search(viewer!, `${t}_`))).toEqual([underscore!.id]);
    expect(ids(await search(viewer!, `${t}_1`))).toEqual([underscore!.id]);
    expect(ids(await search(viewer!, `${t}%`))).toEqual([percent!.id]);
    expect(ids(await search(viewer!, `${t}% s`))).toEqual([percent!.id]);
    // A lone % finds only display names with a % in them.
    expect(ids(await search(viewer!, '%')).filter((id) => [underscore, letter, notPercent].some((u) => u!.id === id))).toEqual([]);
  });

  it('returns at most `first` results, the exact user name first', async () => {
    const t = token();
    const viewer = await registerUser(server);
    // Those that share the prefix are registered first, and one merely has it in its display name.
    for (const suffix of ['_a', '_b', '_c']) await registerUser(server, { username: `${t}${suffix}` });
    const byDisplay = await registerUser(server, { username: `a${randomBytes(4).toString('hex')}` });
    await updateProfile(byDisplay, { displayName: `${t}` });
    const exact = await registerUser(server, { username: t.toUpperCase() });

    const all = await search(viewer, t);
    expect(all).toHaveLength(5);
    expect(all[0]!.id).toBe(exact.id);
    expect(all.at(-1)!.id).toBe(byDisplay.id);

    expect(ids(await search(viewer, t, 2))).toEqual(ids(all.slice(0, 2)));
    expect(ids(await search(viewer, `@${t}`, 1))).toEqual([exact.id]);
    expect(await search(viewer, t, 50)).toHaveLength(5);
    expect(codeOf(await server.gql('{ searchUsers(query: "x", first: 0) { id } }', {}, viewer.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await server.gql('{ searchUsers(query: "x", first: 51) { id } }', {}, viewer.token))).toBe('BAD_USER_INPUT');
  });
});

describe('who can find me', () => {
  it('EVERYONE: anyone finds the user, by search and by user name', async () => {
    const [target, stranger] = await users(2);
    await updateProfile(target!, { whoCanFind: 'EVERYONE' });
    expect(ids(await search(stranger!, target!.username))).toEqual([target!.id]);
    expect(await lookup(stranger!, target!.username.toUpperCase())).toMatchObject({ id: target!.id, isContact: false, isBlocked: false });
    expect(await lookup(stranger!, `@${target!.username}`)).toMatchObject({ id: target!.id });
  });

  it('CONTACTS_OF_CONTACTS: found by the people in their contacts and by those people\'s contacts, nobody else', async () => {
    // target → friend → friendOfFriend; fan → target (only the fan has the target); lurker → friend.
    const [target, friend, friendOfFriend, fan, lurker, stranger] = await users(6);
    // The fan added the target while the target was still findable by everyone.
    await addContact(fan!, target!);
    await updateProfile(target!, { whoCanFind: 'CONTACTS_OF_CONTACTS' });
    await addContact(target!, friend!);
    await addContact(friend!, friendOfFriend!);
    await addContact(lurker!, friend!);

    for (const finder of [friend!, friendOfFriend!]) {
      expect(ids(await search(finder, target!.username)), finder.username).toEqual([target!.id]);
      expect(await lookup(finder, target!.username)).toMatchObject({ id: target!.id });
    }
    // Contacts are directed: having the target (or the target's contact) in one's own list does not count.
    for (const outsider of [fan!, lurker!, stranger!]) {
      expect(await search(outsider, target!.username), outsider.username).toEqual([]);
    }
    expect(await lookup(lurker!, target!.username)).toBeNull();
    expect(await lookup(stranger!, target!.username)).toBeNull();
    // …but `user` also returns someone already connected: the fan has the target in contacts.
    expect(await lookup(fan!, target!.username)).toMatchObject({ id: target!.id, isContact: true });
  });

  it('NOBODY: never in search, not even for contacts; `user` only for those already connected', async () => {
    const [target, friend, admirer, groupmate, directmate, stranger] = await users(6);
    await addContact(admirer!, target!);
    await updateProfile(target!, { whoCanFind: 'NOBODY' });
    await addContact(target!, friend!);
    await createGroup(server, target!, [groupmate!]);
    await createDirect(server, target!, directmate!.id);

    for (const viewer of [friend!, admirer!, groupmate!, directmate!, stranger!]) {
      expect(await search(viewer, target!.username), viewer.username).toEqual([]);
    }
    for (const viewer of [friend!, admirer!, groupmate!, directmate!]) {
      expect(await lookup(viewer, target!.username), viewer.username).toMatchObject({ id: target!.id });
    }
    // A stranger gets exactly what a name that does not exist gives.
    const hidden = await lookupRaw(stranger!, target!.username);
    const missing = await lookupRaw(stranger!, `nx${randomBytes(6).toString('hex')}`);
    expect(hidden).toEqual({ data: { user: null } });
    expect(hidden).toEqual(missing);
  });
});

describe('contacts', () => {
  it('addContact by id or by user name, twice harmlessly; contacts and isContact are the owner\'s alone', async () => {
    const [owner, first, second] = await users(3);
    expect(await addContact(owner!, first!)).toMatchObject({ id: first!.id, isContact: true, isBlocked: false });
    const byName = ok(await addContactRaw(owner!, { username: `@${second!.username.toUpperCase()}` })).addContact;
    expect(byName).toMatchObject({ id: second!.id, isContact: true });
    // Again, both ways: nothing changes.
    await addContact(owner!, first!);
    ok(await addContactRaw(owner!, { username: first!.username }));

    expect(ids(await contacts(owner!)).sort()).toEqual([first!.id, second!.id].sort());
    expect((await contacts(owner!)).every((c) => c.isContact)).toBe(true);
    expect(await contacts(first!)).toEqual([]);
    expect(await lookup(first!, owner!.username)).toMatchObject({ isContact: false });
    expect(await lookup(owner!, first!.username)).toMatchObject({ isContact: true });
  });

  it('refuses to add oneself, both ways, and someone the viewer may not find', async () => {
    const [owner, hidden] = await users(2);
    await updateProfile(hidden!, { whoCanFind: 'NOBODY' });
    expect(codeOf(await addContactRaw(owner!, { userId: owner!.id }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await addContactRaw(owner!, { username: owner!.username }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await addContactRaw(owner!, {}))).toBe('BAD_USER_INPUT');
    expect(codeOf(await addContactRaw(owner!, { userId: hidden!.id }))).toBe('NOT_FOUND');
    expect(codeOf(await addContactRaw(owner!, { username: hidden!.username }))).toBe('NOT_FOUND');
    expect(await contacts(owner!)).toEqual([]);
  });

  it('removeContact removes; NOT_FOUND when the user is not a contact', async () => {
    const [owner, contact, other] = await users(3);
    await addContact(owner!, contact!);
    await addContact(contact!, owner!);
    const remove = (user: TestUser, id: string) => server.gql('mutation($id: ID!) { removeContact(userId: $id) }', { id }, user.token);

    expect(ok(await remove(owner!, contact!.id))).toEqual({ removeContact: true });
    expect(await contacts(owner!)).toEqual([]);
    // The other direction stays.
    expect(ids(await contacts(contact!))).toEqual([owner!.id]);
    expect(codeOf(await remove(owner!, contact!.id))).toBe('NOT_FOUND');
    expect(codeOf(await remove(owner!, other!.id))).toBe('NOT_FOUND');
    expect(codeOf(await remove(owner!, 'not-an-id'))).toBe('NOT_FOUND');
  });

  it('blockUser / blockedUsers / unblockUser, with isBlocked', async () => {
    const [blocker, pest, other] = await users(3);
    const blocked = () => server.gql<{ blockedUsers: UserView[] }>(`{ blockedUsers { ${USER_FIELDS} } }`, {}, blocker!.token);
    const unblock = (id: string) => server.gql('mutation($id: ID!) { unblockUser(userId: $id) }', { id }, blocker!.token);

    expect(ok(await blocked()).blockedUsers).toEqual([]);
    expect(await block(blocker!, pest!)).toMatchObject({ id: pest!.id, isBlocked: true });
    expect(await block(blocker!, pest!)).toMatchObject({ id: pest!.id, isBlocked: true });
    expect(ok(await blocked()).blockedUsers).toEqual([expect.objectContaining({ id: pest!.id, isBlocked: true })]);
    expect(await lookup(blocker!, pest!.username)).toMatchObject({ isBlocked: true });
    expect(await lookup(other!, pest!.username)).toMatchObject({ isBlocked: false });
    expect(codeOf(await blockRaw(blocker!, blocker!))).toBe('BAD_USER_INPUT');

    expect(ok(await unblock(pest!.id))).toEqual({ unblockUser: true });
    expect(ok(await blocked()).blockedUsers).toEqual([]);
    expect(await lookup(blocker!, pest!.username)).toMatchObject({ isBlocked: false });
    expect(codeOf(await unblock(pest!.id))).toBe('NOT_FOUND');
    expect(codeOf(await unblock(other!.id))).toBe('NOT_FOUND');
  });
});

describe('blocks', () => {
  it('does not hide the blocker: the blocked user finds them as before, so the block is not revealed', async () => {
    const [blocker, pest, bystander] = await users(3);
    await addContact(pest!, blocker!);
    expect(ids(await search(pest!, blocker!.username))).toEqual([blocker!.id]);

    await block(blocker!, pest!);
    expect(ids(await search(pest!, blocker!.username))).toEqual([blocker!.id]);
    expect(await lookupRaw(pest!, blocker!.username)).toMatchObject({ data: { user: { id: blocker!.id } } });
    expect(ids(await search(bystander!, blocker!.username))).toEqual([blocker!.id]);
  });

  it('the blocked user cannot start a direct conversation, with the same refusal as "who can message me = CONTACTS"', async () => {
    const expected = await contactsOnlyRefusal();
    const [blocker, pest] = await users(2);
    await block(blocker!, pest!);
    expect(refusal(await createDirectRaw(pest!, blocker!.id))).toEqual(expected);
    // The blocker can still be reached by others: the refusal is the block's.
    const [other] = await users(1);
    await createDirect(server, other!, blocker!.id);
  });

  it('the blocked user cannot send in an existing direct conversation, with the same refusal, and nothing is written', async () => {
    const expected = await contactsOnlyRefusal();
    const [blocker, pest] = await users(2);
    const conversationId = await createDirect(server, pest!, blocker!.id);
    await send(server, pest!, conversationId, 'before');
    await block(blocker!, pest!);

    const result = await server.gql(SEND, { input: { conversationId, body: 'after', clientMsgId: randomUUID() } }, pest!.token);
    expect(refusal(result)).toEqual(expected);
    const history = ok(await server.gql<{ messages: { messages: { body: string }[] } }>(
      'query($id: ID!) { messages(conversationId: $id) { messages { body } } }', { id: conversationId }, blocker!.token));
    expect(history.messages.messages.map((m) => m.body)).toEqual(['before']);
  });

  it("the blocked user's setTyping in the direct conversation returns true and reaches nobody", async () => {
    const [blocker, pest] = await users(2);
    const direct = await createDirect(server, pest!, blocker!.id);
    const group = await createGroup(server, pest!, [blocker!]);
    await block(blocker!, pest!);
    const live = await connect(server, blocker!);
    const typing = (conversationId: string) =>
      server.gql<{ setTyping: boolean }>('mutation($id: ID!) { setTyping(conversationId: $id) }', { id: conversationId }, pest!.token);

    expect(ok(await typing(direct))).toEqual({ setTyping: true });
    // Positive control: the same user typing in a shared group right after does reach the blocker,
    // and events reach a subscriber in the order they were published.
    expect(ok(await typing(group))).toEqual({ setTyping: true });
    await live.stream.next((e) => e.__typename === 'TypingEvent' && e.conversationId === group);
    expect(live.stream.events.filter((e) => e.__typename === 'TypingEvent' && e.conversationId === direct)).toEqual([]);
  });

  it('does not stop messages in a group', async () => {
    const [blocker, pest, third] = await users(3);
    const group = await createGroup(server, third!, [blocker!, pest!]);
    await block(blocker!, pest!);
    const live = await connect(server, blocker!);
    const sent = await send(server, pest!, group, 'hello group');
    const event = await live.stream.next((e) => e.__typename === 'MessageAddedEvent' && e.conversationId === group);
    expect(event.message).toMatchObject({ id: sent.id, body: 'hello group', sender: { id: pest!.id } });
  });

  it('the blocked user can block the blocker back, and is not told they were blocked', async () => {
    const [blocker, pest] = await users(2);
    await createDirect(server, pest!, blocker!.id);
    await block(blocker!, pest!);
    // Blocking is how one protects oneself; it must not fail just because the other side blocked first
    // (a NOT_FOUND here would also tell the blocked user about the block).
    const result = await blockRaw(pest!, blocker!);
    expect(result.errors).toBeUndefined();
    expect(result.data?.blockUser).toMatchObject({ id: blocker!.id, isBlocked: true });
  });
});

describe('who can message me', () => {
  it('EVERYONE lets a stranger start a direct conversation', async () => {
    const [target, stranger] = await users(2);
    await updateProfile(target!, { whoCanMessage: 'EVERYONE' });
    expect(await createDirect(server, stranger!, target!.id)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('CONTACTS lets only people the target has in contacts start one', async () => {
    const [target, friend, fan, stranger] = await users(4);
    await updateProfile(target!, { whoCanMessage: 'CONTACTS' });
    await addContact(target!, friend!);
    await addContact(fan!, target!);

    expect(refusal(await createDirectRaw(stranger!, target!.id))).toEqual({ code: 'FORBIDDEN', message: "You can't send messages to this user." });
    // Directed: the fan has the target, not the other way round.
    expect(refusal(await createDirectRaw(fan!, target!.id))).toEqual({ code: 'FORBIDDEN', message: "You can't send messages to this user." });
    const conversationId = await createDirect(server, friend!, target!.id);
    const list = ok(await server.gql<{ conversations: { nodes: { id: string }[] } }>('{ conversations(first: 10) { nodes { id } } }', {}, stranger!.token));
    expect(list.conversations.nodes).toEqual([]);
    // The target may still start one with anybody.
    expect(await createDirect(server, target!, stranger!.id)).not.toBe(conversationId);
  });

  it('an existing direct conversation is returned even after the setting changed', async () => {
    const [target, other] = await users(2);
    const conversationId = await createDirect(server, other!, target!.id);
    await updateProfile(target!, { whoCanMessage: 'CONTACTS', whoCanFind: 'NOBODY' });
    expect(await createDirect(server, other!, target!.id)).toBe(conversationId);
    expect(await createDirect(server, target!, other!.id)).toBe(conversationId);
    await send(server, other!, conversationId, 'still here');
  });

  it('concurrent createDirectConversation from both sides gives one conversation', async () => {
    const [a, b] = await users(2);
    const results = await Promise.all([
      createDirectRaw(a!, b!.id),
      createDirectRaw(b!, a!.id),
      createDirectRaw(a!, b!.id),
      createDirectRaw(b!, a!.id),
      createDirectRaw(a!, b!.id),
      createDirectRaw(b!, a!.id),
    ]);
    const conversationIds = new Set(results.map((r) => ok(r).createDirectConversation.id));
    expect(conversationIds.size).toBe(1);
    for (const user of [a!, b!]) {
      const list = ok(await server.gql<{ conversations: { nodes: { id: string; kind: string }[] } }>(
        '{ conversations(first: 10) { nodes { id kind } } }', {}, user.token));
      expect(list.conversations.nodes).toEqual([{ id: [...conversationIds][0], kind: 'DIRECT' }]);
    }
  });
});
