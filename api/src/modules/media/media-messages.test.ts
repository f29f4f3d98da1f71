/**
 * Photos and files in messages, and who may have them, against a real server and PostgreSQL:
 * the same idempotency, seq, edit and delete as text; media reachable only through messages a
 * member sees, never after "delete for everyone"; signed URLs that expire; avatars.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { jpegWithGps, upload } from '../../../test/media.js';
import { connect, createGroup, EVENT_SELECTION, ok, send, type TestMessage } from '../../../test/messenger.js';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../../test/server.js';
import type { UploadAnswer } from '../../app/media.js';
import { mediaUrlKey, signedPath } from './media.urls.js';

let server: TestServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'dash-media-'));
  server = await startTestServer({ dataDir });
});

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const MEDIA_FIELDS = 'id purpose mime bytes width height name placeholder url thumbnailUrl';
const MESSAGE = `id seq updatedSeq kind body edited deleted clientMsgId attachments { ${MEDIA_FIELDS} }`;
const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { ${MESSAGE} } }`;
const EDIT = `mutation($id: ID!, $body: String!) { editMessage(messageId: $id, body: $body) { ${MESSAGE} } }`;
const DELETE = `mutation($id: ID!) { deleteMessage(messageId: $id) { ${MESSAGE} } }`;
const HISTORY = `query($id: ID!) { messages(conversationId: $id) { messages { ${MESSAGE} } } }`;

/** A message's media as GraphQL gives them: the same fields as an upload's answer. */
type TestMedia = UploadAnswer;
/** The fields of a message this file selects: the shared ones of TestMessage, and its media. */
type MediaMessage = Omit<TestMessage, 'conversationId' | 'sender' | 'replyTo'> & { attachments: TestMedia[] };

async function photo(user: TestUser, colour = { r: 40, g: 90, b: 160 }): Promise<string> {
  const image = await sharp({ create: { width: 120, height: 80, channels: 3, background: colour } }).jpeg().toBuffer();
  const result = await upload(server.url, user.token, 'photo', image, 'p.jpg', 'image/jpeg');
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body.id!;
}

async function uploaded(user: TestUser, purpose: string, file: Buffer, name = 'f.bin'): Promise<string> {
  const result = await upload(server.url, user.token, purpose, file, name);
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body.id!;
}

function sendMedia(user: TestUser, conversationId: string, mediaIds: string[], body?: string, clientMsgId = randomUUID()): Promise<GraphQLResponse<{ sendMessage: MediaMessage }>> {
  return server.gql(SEND, { input: { conversationId, clientMsgId, mediaIds, ...(body !== undefined ? { body } : {}) } }, user.token);
}

function badField(result: GraphQLResponse): { code: string | undefined; field?: string; constraint?: string } {
  const error = result.errors?.[0];
  const [problem] = (error?.extensions.fields ?? []) as { field: string; constraint: string }[];
  return { code: error?.extensions.code, ...(problem ? { field: problem.field, constraint: problem.constraint } : {}) };
}

async function history(user: TestUser, conversationId: string): Promise<GraphQLResponse<{ messages: { messages: MediaMessage[] } }>> {
  return server.gql(HISTORY, { id: conversationId }, user.token);
}

/** GET of a media URL, without a session (as an <img> would load it). */
async function fetchMedia(url: string): Promise<{ status: number; code?: string; reason?: string }> {
  const response = await fetch(`${server.url}${url}`);
  if (response.ok) {
    await response.arrayBuffer();
    return { status: response.status };
  }
  const body = (await response.json()) as { errors: { extensions: { code: string; reason?: string } }[] };
  return { status: response.status, code: body.errors[0]!.extensions.code, ...(body.errors[0]!.extensions.reason ? { reason: body.errors[0]!.extensions.reason } : {}) };
}

describe('photo messages', () => {
  let alice: TestUser;
  let bob: TestUser;
  let group: string;
  beforeAll(async () => {
    [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    group = await createGroup(server, alice, [bob]);
  });

  it('sends several photos with a Markdown caption, in order; the other member\'s socket gets them with URLs', async () => {
    const bobOnline = await connect(server, bob, `${EVENT_SELECTION} ... on MessageAddedEvent { message { attachments { ${MEDIA_FIELDS} } } }`);
    const ids = [await photo(alice, { r: 255, g: 0, b: 0 }), await photo(alice, { r: 0, g: 255, b: 0 })];
    const sent = ok(await sendMedia(alice, group, ids, '**two** photos')).sendMessage;
    expect(sent).toMatchObject({ kind: 'IMAGE', body: '**two** photos' });
    expect(sent.attachments.map((a) => a.id)).toEqual(ids);
    expect(sent.attachments[0]).toMatchObject({ purpose: 'PHOTO', mime: 'image/jpeg', width: 120, height: 80 });

    const event = await bobOnline.stream.next((e) => e.__typename === 'MessageAddedEvent' && e.message?.id === sent.id);
    const attachments = (event.message as unknown as { attachments: TestMedia[] }).attachments;
    expect(attachments.map((a) => a.id)).toEqual(ids);
    expect(await fetchMedia(attachments[1]!.thumbnailUrl!)).toEqual({ status: 200 });
  });

  it('a caption may be empty; a retry with the same clientMsgId returns the first message and attaches nothing twice', async () => {
    const ids = [await photo(alice)];
    const clientMsgId = randomUUID();
    const first = ok(await sendMedia(alice, group, ids, undefined, clientMsgId)).sendMessage;
    expect(first).toMatchObject({ kind: 'IMAGE', body: '' });
    const retried = ok(await sendMedia(alice, group, ids, undefined, clientMsgId)).sendMessage;
    expect(retried.id).toBe(first.id);
    expect(retried.seq).toBe(first.seq);
    expect(await server.db.prisma.messageAttachment.count({ where: { mediaId: ids[0] } })).toBe(1);
    expect(await server.db.prisma.message.count({ where: { senderId: alice.id, clientMsgId } })).toBe(1);
  });

  it('refuses media sent before, someone else\'s, of the wrong purpose, given twice or too many, with nothing written', async () => {
    const [sent, bobs, avatar] = [await photo(alice), await photo(bob), await uploaded(alice, 'avatar', await jpegWithGps())];
    ok(await sendMedia(alice, group, [sent]));
    const file1 = await uploaded(alice, 'file', Buffer.from('one'));
    const file2 = await uploaded(alice, 'file', Buffer.from('two'));
    const fresh = await photo(alice);
    const before = await server.db.prisma.message.count({ where: { conversationId: group } });
    expect(badField(await sendMedia(alice, group, [sent]))).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaIds', constraint: 'unsent' });
    expect(badField(await sendMedia(alice, group, [bobs]))).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaIds', constraint: 'exists' });
    expect(badField(await sendMedia(alice, group, [randomUUID()]))).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaIds', constraint: 'exists' });
    expect(badField(await sendMedia(alice, group, ['not-an-id']))).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaIds', constraint: 'exists' });
    expect(badField(await sendMedia(alice, group, [avatar]))).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaIds', constraint: 'purpose' });
    expect(badField(await sendMedia(alice, group, [fresh, file1]))).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaIds', constraint: 'purpose' });
    expect(badField(await sendMedia(alice, group, [file1, file2]))).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaIds', constraint: 'maxSize' });
    expect(badField(await sendMedia(alice, group, [fresh, fresh]))).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaIds', constraint: 'unique' });
    expect(badField(await sendMedia(alice, group, Array.from({ length: 11 }, () => fresh)))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'mediaIds' });
    expect(badField(await sendMedia(alice, group, [], 'no media after all'))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'mediaIds' });
    // Bob is a member, but the photo is Alice's.
    expect(badField(await sendMedia(bob, group, [fresh]))).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaIds', constraint: 'exists' });
    expect(await server.db.prisma.message.count({ where: { conversationId: group } })).toBe(before);
    expect(await server.db.prisma.messageAttachment.count({ where: { mediaId: { in: [fresh, file1, file2, avatar, bobs] } } })).toBe(0);
  });

  it('two sends racing for one photo: one wins, the other is refused', async () => {
    const contested = await photo(alice);
    const results = await Promise.all([sendMedia(alice, group, [contested]), sendMedia(alice, group, [contested])]);
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(badField(results.find((r) => r.errors)!)).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaIds', constraint: 'unsent' });
  });

  it('edits the caption (also to empty) at a new seq; a text message cannot be emptied', async () => {
    const sent = ok(await sendMedia(alice, group, [await photo(alice)], 'before')).sendMessage;
    const edited = ok(await server.gql<{ editMessage: MediaMessage }>(EDIT, { id: sent.id, body: 'after _edit_' }, alice.token)).editMessage;
    expect(edited).toMatchObject({ body: 'after _edit_', edited: true });
    expect(edited.updatedSeq).toBeGreaterThan(sent.seq);
    expect(edited.attachments.map((a) => a.id)).toEqual(sent.attachments.map((a) => a.id));
    expect(ok(await server.gql<{ editMessage: MediaMessage }>(EDIT, { id: sent.id, body: '  ' }, alice.token)).editMessage.body).toBe('');
    const text = await send(server, alice, group, 'words');
    expect(badField(await server.gql(EDIT, { id: text.id, body: '' }, alice.token))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'body' });
    expect(badField(await server.gql(EDIT, { id: sent.id, body: 'not mine' }, bob.token)).code).toBe('FORBIDDEN');
  });

  it('a file message: its name and size; served as a download', async () => {
    const fileId = await uploaded(alice, 'file', Buffer.from('quarterly numbers\n'), 'Q3 report.csv');
    const sent = ok(await sendMedia(alice, group, [fileId], 'the numbers')).sendMessage;
    expect(sent).toMatchObject({ kind: 'FILE', body: 'the numbers' });
    expect(sent.attachments).toEqual([expect.objectContaining({ purpose: 'FILE', name: 'Q3 report.csv', bytes: 18, thumbnailUrl: null, width: null })]);
    const response = await fetch(`${server.url}${sent.attachments[0]!.url}`);
    expect(response.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''Q3%20report.csv");
    expect(await response.text()).toBe('quarterly numbers\n');
  });
});

describe('who may have a conversation\'s media', () => {
  let owner: TestUser;
  let member: TestUser;
  let removed: TestUser;
  let stranger: TestUser;
  let group: string;
  let message: MediaMessage;
  let key: Buffer;

  beforeAll(async () => {
    [owner, member, removed, stranger] = await Promise.all([registerUser(server), registerUser(server), registerUser(server), registerUser(server)]);
    group = await createGroup(server, owner, [member, removed]);
    message = ok(await sendMedia(owner, group, [await photo(owner)], 'for members')).sendMessage;
    key = mediaUrlKey(server.config.secretKey!);
  });

  const urlsFrom = (result: GraphQLResponse<{ messages: { messages: MediaMessage[] } }>) =>
    result.data?.messages.messages.find((m) => m.id === message.id)?.attachments[0] ?? null;

  it('a member gets signed URLs that work without a session, as an <img> loads them', async () => {
    const media = urlsFrom(await history(member, group))!;
    expect(media.url).toMatch(new RegExp(`^/media/${media.id}/original\\?expires=\\d+&signature=[\\w-]+$`));
    expect(await fetchMedia(media.url)).toEqual({ status: 200 });
    expect(await fetchMedia(media.thumbnailUrl!)).toEqual({ status: 200 });
  });

  it('a stranger and a caller without a session get no URL; a URL not signed by the server is refused', async () => {
    expect((await history(stranger, group)).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect((await server.gql(HISTORY, { id: group })).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
    const id = message.attachments[0]!.id;
    const future = Math.floor(Date.now() / 1000) + 3600;
    expect(await fetchMedia(`/media/${id}/original`)).toEqual({ status: 403, code: 'INVALID_TOKEN', reason: 'INVALID_SIGNATURE' });
    expect(await fetchMedia(`/media/${id}/original?expires=${future}&signature=${'A'.repeat(43)}`)).toEqual({ status: 403, code: 'INVALID_TOKEN', reason: 'INVALID_SIGNATURE' });
    // A valid signature says nothing of another rendition, another media or a later time.
    const thumbnail = new URL(message.attachments[0]!.thumbnailUrl!, server.url);
    expect(await fetchMedia(`/media/${id}/original${thumbnail.search}`)).toMatchObject({ status: 403, reason: 'INVALID_SIGNATURE' });
    const signed = new URL(message.attachments[0]!.url, server.url);
    expect(await fetchMedia(`/media/${id}/original?expires=${future}&signature=${signed.searchParams.get('signature')}`)).toMatchObject({ status: 403, reason: 'INVALID_SIGNATURE' });
    expect(await fetchMedia(`/media/${randomUUID()}/original${signed.search}`)).toMatchObject({ status: 403, reason: 'INVALID_SIGNATURE' });
  });

  it('an expired URL is refused: time is the URL\'s own, signed in it', async () => {
    const id = message.attachments[0]!.id;
    const past = Math.floor(Date.now() / 1000) - 1;
    expect(await fetchMedia(signedPath(key, id, 'original', past))).toEqual({ status: 403, code: 'INVALID_TOKEN', reason: 'EXPIRED' });
    // The same key and a time to come: served (the test signs as the server does).
    expect(await fetchMedia(signedPath(key, id, 'original', past + 3600))).toEqual({ status: 200 });
  });

  it('a removed member gets no new URLs (their earlier ones live out their short lifetime)', async () => {
    expect(urlsFrom(await history(removed, group))).not.toBeNull();
    ok(await server.gql('mutation($id: ID!, $userId: ID!) { removeMember(conversationId: $id, userId: $userId) { id } }', { id: group, userId: removed.id }, owner.token));
    // Whether a removed member still reads the history they had or not at all, it holds no media.
    const after = await history(removed, group);
    expect(after.errors?.[0]?.extensions.code === 'NOT_FOUND' || urlsFrom(after) === null, JSON.stringify(after)).toBe(true);
    const sync = await server.gql<{ sync: { changes: { messages: MediaMessage[] }[] } }>(`query { sync(cursors: []) { changes { messages { ${MESSAGE} } } } }`, {}, removed.token);
    expect(JSON.stringify(sync.data)).not.toContain(message.attachments[0]!.id);
  });

  it('deleted for everyone: its media are gone for every URL, and the tombstone lists none', async () => {
    const urls = urlsFrom(await history(member, group))!;
    const deleted = ok(await server.gql<{ deleteMessage: MediaMessage }>(DELETE, { id: message.id }, owner.token)).deleteMessage;
    expect(deleted).toMatchObject({ deleted: true, body: '', attachments: [] });
    expect(await fetchMedia(urls.url)).toEqual({ status: 410, code: 'NOT_FOUND', reason: 'DELETED' });
    expect(await fetchMedia(urls.thumbnailUrl!)).toEqual({ status: 410, code: 'NOT_FOUND', reason: 'DELETED' });
    expect(urlsFrom(await history(member, group))).toBeNull();
  });
});

describe('avatars', () => {
  const AVATAR = 'avatar { id small large placeholder }';

  it('a person sets, shows and removes their picture; only an avatar upload of their own will do', async () => {
    const [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    const mediaId = await uploaded(alice, 'avatar', await jpegWithGps(300, 200), 'me.jpg');
    const set = ok(await server.gql<{ setAvatar: { avatar: { id: string; small: string; large: string } } }>(`mutation($m: ID!) { setAvatar(mediaId: $m) { id ${AVATAR} } }`, { m: mediaId }, alice.token));
    expect(set.setAvatar.avatar.id).toBe(mediaId);
    const seen = ok(await server.gql<{ user: { avatar: { small: string; large: string } } }>(`query($u: String!) { user(username: $u) { ${AVATAR} } }`, { u: alice.username }, bob.token));
    const small = await sharp(Buffer.from(await (await fetch(`${server.url}${seen.user.avatar.small}`)).arrayBuffer())).metadata();
    expect([small.width, small.height]).toEqual([128, 128]);

    expect(badField(await server.gql(`mutation($m: ID!) { setAvatar(mediaId: $m) { id } }`, { m: mediaId }, bob.token))).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaId', constraint: 'exists' });
    const photoId = await photo(bob);
    expect(badField(await server.gql(`mutation($m: ID!) { setAvatar(mediaId: $m) { id } }`, { m: photoId }, bob.token))).toEqual({ code: 'BAD_USER_INPUT', field: 'mediaId', constraint: 'purpose' });
    expect((await server.gql(`mutation($m: ID!) { setAvatar(mediaId: $m) { id } }`, { m: mediaId })).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');

    const removed = ok(await server.gql<{ removeAvatar: { avatar: null } }>(`mutation { removeAvatar { id ${AVATAR} } }`, {}, alice.token));
    expect(removed.removeAvatar.avatar).toBeNull();
  });

  it("a group's picture: set by its owner and admins, seen by its members with an AVATAR_CHANGED change; refused to plain members and strangers", async () => {
    const [owner, member, stranger] = await Promise.all([registerUser(server), registerUser(server), registerUser(server)]);
    const group = await createGroup(server, owner, [member]);
    const memberOnline = await connect(server, member);
    const mine = await uploaded(owner, 'avatar', await jpegWithGps(), 'g.jpg');
    const SET = `mutation($c: ID!, $m: ID!) { setGroupAvatar(conversationId: $c, mediaId: $m) { id ${AVATAR} } }`;

    const memberOwn = await uploaded(member, 'avatar', await jpegWithGps(), 'm.jpg');
    expect((await server.gql(SET, { c: group, m: memberOwn }, member.token)).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const strangerOwn = await uploaded(stranger, 'avatar', await jpegWithGps(), 's.jpg');
    expect((await server.gql(SET, { c: group, m: strangerOwn }, stranger.token)).errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    expect((await server.db.prisma.conversation.findUniqueOrThrow({ where: { id: group } })).avatarId).toBeNull();

    const set = ok(await server.gql<{ setGroupAvatar: { avatar: { id: string } } }>(SET, { c: group, m: mine }, owner.token));
    expect(set.setGroupAvatar.avatar.id).toBe(mine);
    const change = await memberOnline.stream.next((e) => e.__typename === 'ConversationUpdatedEvent' && e.conversationId === group);
    expect(change.message?.event?.type).toBe('AVATAR_CHANGED');
    const seen = ok(await server.gql<{ conversation: { avatar: { large: string } } }>(`query($c: ID!) { conversation(id: $c) { ${AVATAR} } }`, { c: group }, member.token));
    expect(await fetchMedia(seen.conversation.avatar.large)).toEqual({ status: 200 });

    const cleared = ok(await server.gql<{ removeGroupAvatar: { avatar: null } }>(`mutation($c: ID!) { removeGroupAvatar(conversationId: $c) { id ${AVATAR} } }`, { c: group }, owner.token));
    expect(cleared.removeGroupAvatar.avatar).toBeNull();
  });
});
