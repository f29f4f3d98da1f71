/**
 * Stored media nothing uses any more is removed, on a database of its own (a sweep looks at
 * every upload there is) and local disk: what each way of letting go of media leaves behind, and
 * when the files leave the disk; content shared by several uploads (the same bytes are stored
 * once) stays while one of them is used; URLs held for what is gone answer 410; a sweep racing a
 * new upload of the same bytes, or another sweep, loses nothing.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, dropDatabase } from '../../../test/databases.js';
import { PASSWORD, registerUser, type TestUser } from '../../../test/factories.js';
import { jpegWithGps, upload } from '../../../test/media.js';
import { createGroup, ok } from '../../../test/messenger.js';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../../test/server.js';
import { runSticker, stickerImage } from '../../../test/stickers.js';
import { openDatabase } from '../../core/db/database.js';
import { createLogger } from '../../core/logger.js';
import { createStorage, type MediaStorage } from '../../core/storage/storage.js';
import { BUILTIN_DIR, installBuiltinPack, readManifest } from '../stickers/builtin-pack.js';
import { ClaimingStorage } from './media.contents.js';
import { uploadDrawing } from './media.drawings.js';
import { MEDIA_REFERENCES, MediaSweepRepository } from './media.sweep.repository.js';
import { MediaSweeper } from './media.sweeper.js';

let url: string;
let dataDir: string;
let server: TestServer;

beforeAll(async () => {
  url = await createDatabase('media_sweep');
  const db = await openDatabase({ databaseUrl: url, dataDir: '' });
  await db.migrate();
  await db.close();
  dataDir = await mkdtemp(path.join(tmpdir(), 'dash-sweep-'));
  server = await startTestServer({ databaseUrl: url, dataDir });
});

afterAll(async () => {
  await server?.close();
  await dropDatabase(url);
  await rm(dataDir, { recursive: true, force: true });
});

/** A sweep now. */
const sweep = () => server.app.mediaSweeper.sweep();
/** A sweep as it will run once MEDIA_UNUSED_AFTER has passed for everything there is now. */
const later = () => new Date(Date.now() + (server.config.media.unusedAfterSeconds + 60) * 1000);
const sweepLater = () => server.app.mediaSweeper.sweep({ now: later() });

/** Whether the file of a storage key is on disk. */
async function onDisk(key: string): Promise<boolean> {
  return access(path.join(dataDir, 'media', key)).then(
    () => true,
    () => false,
  );
}

/** The storage keys of a media row (its content and its thumbnail). */
async function keysOf(mediaId: string): Promise<string[]> {
  const row = await server.db.prisma.media.findUniqueOrThrow({ where: { id: mediaId } });
  return [row.storageKey, ...(row.thumbnailKey ? [row.thumbnailKey] : [])];
}

async function allOnDisk(keys: string[]): Promise<boolean[]> {
  return Promise.all(keys.map(onDisk));
}

/** GET of a media URL without a session, as an <img> loads it: the status and, for a refusal, its reason. */
async function fetchMedia(mediaUrl: string): Promise<{ status: number; reason?: string }> {
  const response = await fetch(`${server.url}${mediaUrl}`);
  if (response.ok) {
    await response.arrayBuffer();
    return { status: response.status };
  }
  const body = (await response.json()) as { errors: { extensions: { reason?: string } }[] };
  return { status: response.status, ...(body.errors[0]!.extensions.reason ? { reason: body.errors[0]!.extensions.reason } : {}) };
}

const GONE = { status: 410, reason: 'DELETED' };

interface Uploaded {
  id: string;
  url: string;
  thumbnailUrl: string | null;
}

async function uploaded(user: TestUser, purpose: string, file: Buffer, name = 'f.jpg'): Promise<Uploaded> {
  const result = await upload(server.url, user.token, purpose, file, name);
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return { id: result.body.id!, url: result.body.url!, thumbnailUrl: result.body.thumbnailUrl ?? null };
}

/** A photo of its own colour: new content at every call. */
function freshPhoto(): Promise<Buffer> {
  const [r, g, b] = [...randomBytes(3)];
  return sharp({ create: { width: 120, height: 80, channels: 3, background: { r: r!, g: g!, b: b! } } }).jpeg().toBuffer();
}

async function sendMedia(user: TestUser, conversationId: string, mediaIds: string[]): Promise<string> {
  const sent = ok(
    await server.gql<{ sendMessage: { id: string } }>(
      'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
      { input: { conversationId, clientMsgId: randomUUID(), mediaIds, body: '' } },
      user.token,
    ),
  );
  return sent.sendMessage.id;
}

async function deleteMessage(user: TestUser, messageId: string): Promise<void> {
  ok(await server.gql('mutation($id: ID!) { deleteMessage(messageId: $id) { id } }', { id: messageId }, user.token));
}

describe('what each way of letting go of media leaves behind', () => {
  it('a message deleted for everyone: its URLs answer 410 at once, and the sweep removes its photo and thumbnail from the disk', async () => {
    const [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, alice, [bob]);
    const photo = await uploaded(alice, 'photo', await freshPhoto());
    const keys = await keysOf(photo.id);
    const messageId = await sendMedia(alice, group, [photo.id]);
    await deleteMessage(alice, messageId);
    expect(await fetchMedia(photo.url)).toEqual(GONE);
    expect(await allOnDisk(keys)).toEqual([true, true]);

    // Deleted for everyone is gone for good: no waiting for MEDIA_UNUSED_AFTER to remove the row.
    await sweep();
    expect(await server.db.prisma.media.count({ where: { id: photo.id } })).toBe(0);
    expect(await fetchMedia(photo.url)).toEqual(GONE);
    expect(await fetchMedia(photo.thumbnailUrl!)).toEqual(GONE);
    // The files go once their last claim is MEDIA_UNUSED_AFTER old.
    await sweepLater();
    expect(await allOnDisk(keys)).toEqual([false, false]);
  });

  it('the same bytes uploaded by two people are stored once, and stay until neither is used', async () => {
    const [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, alice, [bob]);
    const bytes = await freshPhoto();
    const [fromAlice, fromBob] = [await uploaded(alice, 'photo', bytes), await uploaded(bob, 'photo', bytes)];
    const keys = await keysOf(fromAlice.id);
    expect(await keysOf(fromBob.id)).toEqual(keys);
    const [aliceMessage, bobMessage] = [await sendMedia(alice, group, [fromAlice.id]), await sendMedia(bob, group, [fromBob.id])];

    await deleteMessage(alice, aliceMessage);
    await sweepLater();
    expect(await allOnDisk(keys)).toEqual([true, true]);
    expect(await fetchMedia(fromAlice.url)).toEqual(GONE);
    expect(await fetchMedia(fromBob.url)).toEqual({ status: 200 });

    await deleteMessage(bob, bobMessage);
    await sweepLater();
    expect(await allOnDisk(keys)).toEqual([false, false]);
  });

  it('a group deleted for everyone: the URLs its members hold for its media and its picture answer 410 at once, and the sweep removes the files', async () => {
    const [owner, member] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, owner, [member]);
    const photo = await uploaded(owner, 'photo', await freshPhoto());
    const file = await uploaded(member, 'file', randomBytes(4096), 'notes.bin');
    const picture = await uploaded(owner, 'avatar', await freshPhoto());
    const keys = [...(await keysOf(photo.id)), ...(await keysOf(file.id)), ...(await keysOf(picture.id))];
    await sendMedia(owner, group, [photo.id]);
    await sendMedia(member, group, [file.id]);
    ok(await server.gql('mutation($c: ID!, $m: ID!) { setGroupAvatar(conversationId: $c, mediaId: $m) { id } }', { c: group, m: picture.id }, owner.token));
    expect(await fetchMedia(photo.thumbnailUrl!)).toEqual({ status: 200 });

    ok(await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id, forEveryone: true) }', { id: group }, owner.token));
    for (const held of [photo.url, photo.thumbnailUrl!, file.url, picture.url]) expect(await fetchMedia(held)).toEqual(GONE);
    await sweepLater();
    expect(await allOnDisk(keys)).toEqual(keys.map(() => false));
  });

  it('a deleted account: the URLs of what it sent answer 410, and the sweep removes the files but those another upload shares', async () => {
    const [leaving, staying] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, leaving, [staying]);
    const shared = await freshPhoto();
    const [own, copy, kept] = [await uploaded(leaving, 'photo', await freshPhoto()), await uploaded(leaving, 'photo', shared), await uploaded(staying, 'photo', shared)];
    const [ownKeys, sharedKeys] = [await keysOf(own.id), await keysOf(copy.id)];
    await sendMedia(leaving, group, [own.id, copy.id]);
    await sendMedia(staying, group, [kept.id]);

    ok(await server.gql('mutation($input: DeleteAccountInput!) { deleteAccount(input: $input) }', { input: { password: PASSWORD } }, leaving.token));
    expect(await fetchMedia(own.url)).toEqual(GONE);
    expect(await fetchMedia(copy.thumbnailUrl!)).toEqual(GONE);
    await sweepLater();
    expect(await allOnDisk(ownKeys)).toEqual([false, false]);
    expect(await allOnDisk(sharedKeys)).toEqual([true, true]);
    expect(await fetchMedia(kept.url)).toEqual({ status: 200 });
  });

  it("a replaced or removed picture, a person's or a group's: 410 at once, its files gone at the sweep, unless the same upload is still shown", async () => {
    const [owner, member] = await Promise.all([registerUser(server), registerUser(server)]);
    const SET = 'mutation($m: ID!) { setAvatar(mediaId: $m) { id } }';
    const GROUP = 'mutation($c: ID!, $m: ID!) { setGroupAvatar(conversationId: $c, mediaId: $m) { id } }';
    const group = await createGroup(server, owner, [member]);
    const avatar = async () => uploaded(owner, 'avatar', await freshPhoto());
    const [first, second, groupFirst, groupSecond] = [await avatar(), await avatar(), await avatar(), await avatar()];
    const keys = (await Promise.all([first, second, groupFirst].map((a) => keysOf(a.id)))).flat();
    ok(await server.gql(SET, { m: first.id }, owner.token));
    ok(await server.gql(SET, { m: second.id }, owner.token));
    expect(await fetchMedia(first.url)).toEqual(GONE);
    ok(await server.gql('mutation { removeAvatar { id } }', {}, owner.token));
    expect(await fetchMedia(second.thumbnailUrl!)).toEqual(GONE);
    ok(await server.gql(GROUP, { c: group, m: groupFirst.id }, owner.token));
    ok(await server.gql(GROUP, { c: group, m: groupSecond.id }, owner.token));
    expect(await fetchMedia(groupFirst.url)).toEqual(GONE);
    expect(await fetchMedia(groupSecond.url)).toEqual({ status: 200 });
    await sweepLater();
    expect(await allOnDisk(keys)).toEqual(keys.map(() => false));

    // One upload as both the person's and the group's picture: replacing one leaves the other.
    const both = await avatar();
    ok(await server.gql(SET, { m: both.id }, owner.token));
    ok(await server.gql(GROUP, { c: group, m: both.id }, owner.token));
    ok(await server.gql('mutation { removeAvatar { id } }', {}, owner.token));
    await sweepLater();
    expect(await fetchMedia(both.url)).toEqual({ status: 200 });
    expect(await allOnDisk(await keysOf(both.id))).toEqual([true, true]);
    ok(await server.gql('mutation($c: ID!) { removeGroupAvatar(conversationId: $c) { id } }', { c: group }, owner.token));
    expect(await fetchMedia(both.url)).toEqual(GONE);
  });

  it('stickers: one taken out of its pack keeps showing where it was sent; one never sent goes with its image, as do those of a deleted pack', async () => {
    const [maker, friend] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, maker, [friend]);
    const pack = ok(await runSticker(server, maker, 'createStickerPack', { title: 'Mine' })) as { createStickerPack: { id: string } };
    const packId = pack.createStickerPack.id;
    const add = async () => {
      const media = await uploaded(maker, 'sticker', await stickerImage(), 's.png');
      const added = ok(await runSticker(server, maker, 'addSticker', { input: { packId, mediaId: media.id, emoji: '🙂' } })) as { addSticker: { id: string; url: string } };
      return { stickerId: added.addSticker.id, url: added.addSticker.url, keys: await keysOf(media.id) };
    };
    const [sent, unsent, left] = [await add(), await add(), await add()];
    ok(
      await server.gql(
        'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }',
        { input: { conversationId: group, clientMsgId: randomUUID(), stickerId: sent.stickerId } },
        maker.token,
      ),
    );
    ok(await runSticker(server, maker, 'removeSticker', { stickerId: sent.stickerId }));
    ok(await runSticker(server, maker, 'removeSticker', { stickerId: unsent.stickerId }));
    await sweepLater();
    expect(await allOnDisk(sent.keys)).toEqual([true, true]);
    expect(await allOnDisk(unsent.keys)).toEqual([false, false]);
    expect(await fetchMedia(unsent.url)).toEqual(GONE);
    const history = ok(
      await server.gql<{ messages: { messages: { sticker: { url: string } | null }[] } }>(
        'query($id: ID!) { messages(conversationId: $id) { messages { sticker { url } } } }',
        { id: group },
        friend.token,
      ),
    );
    const shown = history.messages.messages.find((m) => m.sticker)!.sticker!;
    expect(await fetchMedia(shown.url)).toEqual({ status: 200 });

    ok(await runSticker(server, maker, 'deleteStickerPack', { packId }));
    await sweepLater();
    expect(await allOnDisk(left.keys)).toEqual([false, false]);
    expect(await allOnDisk(sent.keys)).toEqual([true, true]);
  });

  it('the built-in stickers stay, sent or not, and their content is in the ledger the sweep reads', async () => {
    await installBuiltinPack(server.db.prisma, new ClaimingStorage(createStorage(server.config), server.db.prisma));
    const builtin = await server.db.prisma.media.findMany({ where: { ownerId: null } });
    const keys = builtin.flatMap((m) => [m.storageKey, ...(m.thumbnailKey ? [m.thumbnailKey] : [])]);
    expect(keys.length).toBeGreaterThanOrEqual(32);
    expect(await server.db.prisma.storedContent.count({ where: { key: { in: keys } } })).toBe(keys.length);
    await sweepLater();
    expect(await allOnDisk(keys)).toEqual(keys.map(() => true));
    expect(await server.db.prisma.media.count({ where: { ownerId: null } })).toBe(builtin.length);
  });

  it('an upload never sent is kept for MEDIA_UNUSED_AFTER (it can still be sent), then removed with its files', async () => {
    const [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, alice, [bob]);
    const [waiting, abandoned] = [await uploaded(alice, 'photo', await freshPhoto()), await uploaded(alice, 'file', randomBytes(2048), 'a.bin')];
    const keys = await keysOf(abandoned.id);
    await sweep();
    await sendMedia(alice, group, [waiting.id]);
    expect(await allOnDisk(keys)).toEqual([true]);

    await sweepLater();
    expect(await allOnDisk(keys)).toEqual([false]);
    const refused = await server.gql('mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', {
      input: { conversationId: group, clientMsgId: randomUUID(), mediaIds: [abandoned.id], body: '' },
    }, alice.token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'mediaIds', constraint: 'exists' }] });
    expect(await fetchMedia(waiting.url)).toEqual({ status: 200 });
  });
});

describe('races', () => {
  /** A deferred: a promise and its resolver. */
  function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  /** Waits until some statement of this database waits for a lock. */
  async function someoneWaitsForALock(): Promise<void> {
    for (;;) {
      const [row] = await server.db.prisma.$queryRaw<{ waiting: bigint }[]>`
        SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      if (Number(row!.waiting) > 0) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('a new upload of the same bytes while a sweep removes them waits for it, then stores them anew', async () => {
    const [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, alice, [bob]);
    const bytes = await jpegWithGps(90, 60);
    const first = await uploaded(alice, 'photo', bytes);
    const keys = await keysOf(first.id);
    await deleteMessage(alice, await sendMedia(alice, group, [first.id]));

    // A sweep (as another instance) whose storage stops at its first removal until told to go on.
    const reached = deferred();
    const go = deferred();
    const local = createStorage(server.config);
    const pausing: MediaStorage = Object.assign(Object.create(local) as MediaStorage, {
      async delete(key: string) {
        reached.resolve();
        await go.promise;
        await local.delete(key);
      },
    });
    const other = new MediaSweeper(new MediaSweepRepository(server.db.prisma), pausing, server.config.media.unusedAfterSeconds, createLogger({ level: 'silent', production: false }));
    const sweeping = other.sweep({ now: later() });
    await reached.promise;

    // The same photo from Bob, deduplicated onto the content being removed: its claim waits for the sweep.
    const again = upload(server.url, bob.token, 'photo', bytes, 'again.jpg');
    await someoneWaitsForALock();
    go.resolve();
    await sweeping;
    const second = await again;
    expect(second.status).toBe(201);
    expect(await keysOf(second.body.id!)).toEqual(keys);
    expect(await allOnDisk(keys)).toEqual([true, true]);
    expect(await fetchMedia(second.body.thumbnailUrl!)).toEqual({ status: 200 });
    // And a later sweep keeps it: Bob's photo, sent, uses it.
    await sendMedia(bob, group, [second.body.id!]);
    await sweepLater();
    expect(await allOnDisk(keys)).toEqual([true, true]);
  });

  /**
   * Runs `write`, holding its statement just before it writes `mediaId` into `table.column`
   * (a trigger there waits on a lock the test holds), past the checks that found the upload;
   * meanwhile a sweep as MEDIA_UNUSED_AFTER later removes the upload, which nothing uses yet;
   * then lets the write go on.
   */
  async function sweptMidWrite<T>(table: string, column: string, mediaId: string, write: () => Promise<T>): Promise<T> {
    const key = randomInt(1, 2 ** 31);
    const trigger = `pause_${randomBytes(6).toString('hex')}`;
    const db = server.db.prisma;
    await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION pause_for_test() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock(TG_ARGV[0]::bigint); RETURN NEW; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE ON ${table} FOR EACH ROW
      WHEN (NEW.${column} = '${mediaId}'::uuid) EXECUTE FUNCTION pause_for_test('${key}')`);
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [key]);
      let settled = false;
      const writing = write().finally(() => (settled = true));
      for (;;) {
        const waiting = await holder.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`, [key]);
        if (waiting.rowCount) break;
        if (settled) throw new Error(`the write ended before it reached ${table}.${column}: ${JSON.stringify(await writing)}`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await sweepLater();
      expect(await db.media.findUnique({ where: { id: mediaId } })).toBeNull();
      await holder.query('SELECT pg_advisory_unlock($1)', [key]);
      return await writing;
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER ${trigger} ON ${table}`);
      await holder.end();
    }
  }

  /** An answer's error as a client sees it. */
  const refusal = (response: GraphQLResponse) => ({ message: response.errors?.[0]?.message, extensions: response.errors?.[0]?.extensions });

  it('an upload the sweep removes while it is being sent, set as a picture or made a sticker is refused as one that was never there, and nothing is written', async () => {
    const [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    const group = await createGroup(server, alice, [bob]);
    const db = server.db.prisma;
    const seqOf = async () => (await db.conversation.findUniqueOrThrow({ where: { id: group } })).seq;

    // A photo sent.
    const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }';
    const sendPhoto = (mediaId: string, clientMsgId = randomUUID()) =>
      server.gql(SEND, { input: { conversationId: group, clientMsgId, mediaIds: [mediaId], body: '' } }, alice.token);
    const photo = await uploaded(alice, 'photo', await freshPhoto());
    const seq = await seqOf();
    const clientMsgId = randomUUID();
    const sent = await sweptMidWrite('message_attachments', 'media_id', photo.id, () => sendPhoto(photo.id, clientMsgId));
    expect(refusal(sent)).toEqual(refusal(await sendPhoto(randomUUID())));
    expect(refusal(sent).extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'mediaIds', constraint: 'exists' }] });
    expect(await db.message.findFirst({ where: { senderId: alice.id, clientMsgId } })).toBeNull();
    expect(await seqOf()).toBe(seq);

    // A person's picture, and a group's.
    const SET = 'mutation($m: ID!) { setAvatar(mediaId: $m) { id } }';
    const GROUP = 'mutation($c: ID!, $m: ID!) { setGroupAvatar(conversationId: $c, mediaId: $m) { id } }';
    const own = await uploaded(alice, 'avatar', await freshPhoto());
    const setOwn = await sweptMidWrite('users', 'avatar_id', own.id, () => server.gql(SET, { m: own.id }, alice.token));
    expect(refusal(setOwn)).toEqual(refusal(await server.gql(SET, { m: randomUUID() }, alice.token)));
    expect(refusal(setOwn).extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'mediaId', constraint: 'exists' }] });
    expect((await db.user.findUniqueOrThrow({ where: { id: alice.id } })).avatarId).toBeNull();
    const groups = await uploaded(alice, 'avatar', await freshPhoto());
    const setGroup = await sweptMidWrite('conversations', 'avatar_id', groups.id, () => server.gql(GROUP, { c: group, m: groups.id }, alice.token));
    expect(refusal(setGroup)).toEqual(refusal(await server.gql(GROUP, { c: group, m: randomUUID() }, alice.token)));
    expect(await db.conversation.findUniqueOrThrow({ where: { id: group } })).toMatchObject({ avatarId: null, seq });

    // A sticker made of an upload.
    const packId = (ok(await runSticker(server, alice, 'createStickerPack', { title: 'Late' })) as { createStickerPack: { id: string } }).createStickerPack.id;
    const addSticker = (mediaId: string) => runSticker(server, alice, 'addSticker', { input: { packId, mediaId, emoji: '🙂' } });
    const image = await uploaded(alice, 'sticker', await stickerImage(), 's.png');
    const added = await sweptMidWrite('stickers', 'media_id', image.id, () => addSticker(image.id));
    expect(refusal(added)).toEqual(refusal(await addSticker(randomUUID())));
    expect(refusal(added).extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'mediaId' }] });
    expect(await db.sticker.count({ where: { packId } })).toBe(0);
  });

  it('two sweeps at once (two instances), in small batches, share the work: each thing is removed once, nothing fails', async () => {
    const alice = await registerUser(server);
    const abandoned = await Promise.all(Array.from({ length: 7 }, async () => uploaded(alice, 'file', randomBytes(1024), 'x.bin')));
    const keys = (await Promise.all(abandoned.map((a) => keysOf(a.id)))).flat();
    const logger = createLogger({ level: 'silent', production: false });
    const instance = () => new MediaSweeper(new MediaSweepRepository(server.db.prisma), createStorage(server.config), server.config.media.unusedAfterSeconds, logger, 2);
    const now = later();
    const [one, two] = await Promise.all([instance().sweep({ now }), instance().sweep({ now })]);
    const rest = await instance().sweep({ now });
    expect(one.media + two.media + rest.media).toBe(7);
    expect(one.contents + two.contents + rest.contents).toBe(7);
    expect(await allOnDisk(keys)).toEqual(keys.map(() => false));
    expect(await server.db.prisma.media.count({ where: { ownerId: alice.id } })).toBe(0);
  });
});

describe('on the embedded database', () => {
  it('the sweep runs there as on PostgreSQL: what is unused goes with its files, what is used stays', async () => {
    const embeddedDir = await mkdtemp(path.join(tmpdir(), 'dash-sweep-embedded-'));
    const db = await openDatabase({ databaseUrl: undefined, dataDir: embeddedDir });
    try {
      await db.migrate();
      const storage = new ClaimingStorage(createStorage({ dataDir: embeddedDir, media: { s3: undefined } }), db.prisma);
      const owner = await db.prisma.user.create({ data: { username: 'owner', email: 'owner@example.test', passwordHash: 'x', displayName: 'Owner' } });
      const [first, second] = (await readManifest()).stickers.map((s) => path.join(BUILTIN_DIR, `${s.name}.svg`));
      const picture = await uploadDrawing(db.prisma, storage, first!, owner.id, 'AVATAR');
      await db.prisma.user.update({ where: { id: owner.id }, data: { avatarId: picture.id } });
      const unused = await uploadDrawing(db.prisma, storage, second!, owner.id, 'PHOTO');
      const sweeper = new MediaSweeper(new MediaSweepRepository(db.prisma), storage, server.config.media.unusedAfterSeconds, createLogger({ level: 'silent', production: false }));
      expect(await sweeper.sweep({ now: later() })).toMatchObject({ media: 1, contents: 2 });
      expect(await db.prisma.media.findMany({ select: { id: true } })).toEqual([{ id: picture.id }]);
      expect(await storage.has(unused.storageKey)).toBe(false);
      expect(await storage.has(picture.storageKey)).toBe(true);
    } finally {
      await db.close();
      await rm(embeddedDir, { recursive: true, force: true });
    }
  });
});

describe('the sweep knows every use of media', () => {
  it('every foreign key that points at media but its owner is a use the sweep looks at', async () => {
    const keys = await server.db.prisma.$queryRaw<{ table: string; column: string }[]>`
      SELECT c.conrelid::regclass::text AS table, a.attname AS column
      FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
      WHERE c.contype = 'f' AND c.confrelid = 'media'::regclass`;
    const uses = keys.filter((k) => !(k.table === 'media' && k.column === 'owner_id')).map((k) => `${k.table}.${k.column}`);
    expect(uses.sort()).toEqual(MEDIA_REFERENCES.map((r) => `${r.table}.${r.column}`).sort());
  });
});
