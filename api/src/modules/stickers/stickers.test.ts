/**
 * Sticker packs from the outside, against a real server and database: the built-in pack in
 * every list, a person's own pack from their uploads (made, ordered, published, shared by its
 * link, added by someone else, taken out of one list, deleted), sticker messages with the same
 * idempotency and seq as text, and the bounds.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { expectBadInput, run } from '../../../test/authz-fixtures.js';
import { connect, createDirect, EVENT_SELECTION, ok } from '../../../test/messenger.js';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../../test/server.js';
import {
  addSticker, createPack, fetchMedia, installBuiltin, publishedPack, runSticker, stickerPacks, STICKER_FIELDS, upload, uploadSticker,
  type TestPack, type TestSticker,
} from '../../../test/stickers.js';
import { readManifest } from './builtin-pack.js';
import { STICKER_LIMITS } from './stickers.service.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await installBuiltin(server);
});
afterAll(() => server.close());

interface StickerMessage {
  id: string;
  seq: number;
  kind: string;
  body: string;
  deleted: boolean;
  clientMsgId: string | null;
  sticker: TestSticker | null;
}
const MESSAGE = `id seq kind body deleted clientMsgId sticker { ${STICKER_FIELDS} }`;
const SEND_STICKER = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { ${MESSAGE} } }`;

function sendSticker(user: TestUser, conversationId: string, stickerId: string, extra: Record<string, unknown> = {}): Promise<GraphQLResponse<{ sendMessage: StickerMessage }>> {
  return server.gql(SEND_STICKER, { input: { conversationId, clientMsgId: randomUUID(), stickerId, ...extra } }, user.token);
}

async function history(user: TestUser, conversationId: string): Promise<StickerMessage[]> {
  const data = ok(await server.gql<{ messages: { messages: StickerMessage[] } }>(
    `query($id: ID!) { messages(conversationId: $id) { messages { ${MESSAGE} } } }`, { id: conversationId }, user.token));
  return data.messages.messages;
}

const codeOf = (result: GraphQLResponse) => result.errors?.[0]?.extensions.code;
const builtinOf = (packs: TestPack[]) => packs.find((pack) => pack.slug === 'dashy')!;

describe('the built-in pack', () => {
  it("is in a new person's list, first, with every drawing of pack.json as a 512 px WebP that keeps its transparency", async () => {
    const user = await registerUser(server);
    const packs = await stickerPacks(server, user);
    const manifest = await readManifest();
    const builtin = builtinOf(packs);
    expect(packs[0]!.builtin).toBe(true);
    expect(builtin).toMatchObject({ title: manifest.title, builtin: true, published: true, installed: true, mine: false, owner: null });
    expect(builtin.stickers.map((s) => s.emoji)).toEqual(manifest.stickers.map((s) => s.emoji));
    expect(builtin.stickers.length).toBeGreaterThanOrEqual(16);

    const response = await fetchMedia(server, builtin.stickers[0]!.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/webp');
    const image = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect(image).toMatchObject({ format: 'webp', width: 512, height: 512, hasAlpha: true });
    expect((await fetchMedia(server, builtin.stickers[0]!.thumbnailUrl!)).status).toBe(200);
  });

  it('can be sent by anyone without adding it, and stays in every list', async () => {
    const [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    const builtin = builtinOf(await stickerPacks(server, alice));
    const direct = await createDirect(server, alice, bob.id);
    const sent = ok(await sendSticker(alice, direct, builtin.stickers[1]!.id)).sendMessage;
    expect(sent).toMatchObject({ kind: 'STICKER', body: '', sticker: { id: builtin.stickers[1]!.id, emoji: builtin.stickers[1]!.emoji, packId: builtin.id } });
    expectBadInput(await runSticker(server, alice, 'uninstallStickerPack', { packId: builtin.id }), 'packId');
    expect(builtinOf(await stickerPacks(server, alice))).toBeDefined();
  });
});

describe("a person's own pack", () => {
  let owner: TestUser;
  let friend: TestUser;
  beforeAll(async () => {
    [owner, friend] = await Promise.all([registerUser(server), registerUser(server)]);
  });

  it('is made from their sticker uploads: created, filled, reordered, trimmed, renamed and published', async () => {
    const pack = await createPack(server, owner, '  Cats  ');
    expect(pack).toMatchObject({ title: 'Cats', builtin: false, published: false, mine: true, installed: true, stickerCount: 0, owner: { id: owner.id } });
    expect(pack.slug).toMatch(/^[A-Za-z0-9_-]{12}$/);

    const first = await addSticker(server, owner, pack.id, '😺');
    const second = await addSticker(server, owner, pack.id, '❤'); // without its presentation selector
    const third = await addSticker(server, owner, pack.id, '👍🏽');
    expect([first, second, third].map((s) => s.emoji)).toEqual(['😺', '❤️', '👍🏽']);
    const image = await sharp(Buffer.from(await (await fetchMedia(server, first.url)).arrayBuffer())).metadata();
    expect(image).toMatchObject({ format: 'webp', width: 512, height: 512, hasAlpha: true });

    const reordered = ok(await runSticker(server, owner, 'reorderStickers', { packId: pack.id, stickerIds: [third.id, first.id, second.id] })) as { reorderStickers: TestPack };
    expect(reordered.reorderStickers.stickers.map((s) => s.id)).toEqual([third.id, first.id, second.id]);

    const trimmed = ok(await runSticker(server, owner, 'removeSticker', { stickerId: first.id })) as { removeSticker: TestPack };
    expect(trimmed.removeSticker.stickers.map((s) => s.id)).toEqual([third.id, second.id]);

    ok(await runSticker(server, owner, 'renameStickerPack', { packId: pack.id, title: 'Cats & dogs' }));
    const published = ok(await runSticker(server, owner, 'publishStickerPack', { packId: pack.id })) as { publishStickerPack: TestPack };
    expect(published.publishStickerPack).toMatchObject({ title: 'Cats & dogs', published: true, stickerCount: 2 });

    // As stored, read back: the order holds, the removed one is gone from the pack.
    const mine = (ok(await runSticker(server, owner, 'myStickerPacks')) as { myStickerPacks: TestPack[] }).myStickerPacks;
    expect(mine.find((p) => p.id === pack.id)!.stickers.map((s) => s.id)).toEqual([third.id, second.id]);
    const list = await stickerPacks(server, owner);
    expect(list.at(-1)!.id).toBe(pack.id);
  });

  it('is shared by its link once published: another person previews it, adds it, sends one of its stickers, and sees it first in "recently used"', async () => {
    const pack = await createPack(server, owner, 'Draft');
    const sticker = await addSticker(server, owner, pack.id, '🦊');
    expect(codeOf(await runSticker(server, friend, 'stickerPack', { slug: pack.slug }))).toBe('NOT_FOUND');
    expect((ok(await runSticker(server, owner, 'stickerPack', { slug: pack.slug })) as { stickerPack: TestPack }).stickerPack.id).toBe(pack.id);
    // Not added, so not theirs to send.
    const direct = await createDirect(server, friend, owner.id);
    expectBadInput(await sendSticker(friend, direct, sticker.id), 'stickerId');

    ok(await runSticker(server, owner, 'publishStickerPack', { packId: pack.id }));
    const preview = (ok(await runSticker(server, friend, 'stickerPack', { slug: pack.slug })) as { stickerPack: TestPack }).stickerPack;
    expect(preview).toMatchObject({ id: pack.id, mine: false, installed: false, published: true, stickers: [{ id: sticker.id, emoji: '🦊' }] });
    expectBadInput(await sendSticker(friend, direct, sticker.id), 'stickerId');

    const added = (ok(await runSticker(server, friend, 'installStickerPack', { packId: pack.id })) as { installStickerPack: TestPack }).installStickerPack;
    expect(added.installed).toBe(true);
    ok(await runSticker(server, friend, 'installStickerPack', { packId: pack.id })); // again: harmless
    expect((await stickerPacks(server, friend)).filter((p) => p.id === pack.id)).toHaveLength(1);

    const sent = ok(await sendSticker(friend, direct, sticker.id)).sendMessage;
    expect(sent.sticker).toMatchObject({ id: sticker.id, packId: pack.id, emoji: '🦊' });
    const seen = (await history(owner, direct)).find((m) => m.id === sent.id)!;
    expect(seen.sticker).toMatchObject({ id: sticker.id, emoji: '🦊' });
    expect((await fetchMedia(server, seen.sticker!.url)).status).toBe(200);
    const recent = (ok(await runSticker(server, friend, 'recentStickers')) as { recentStickers: TestSticker[] }).recentStickers;
    expect(recent[0]!.id).toBe(sticker.id);
  });

  it("taken out of one person's list stays in its owner's and others' lists, and can be added again", async () => {
    const pack = await publishedPack(server, owner);
    const [one, two] = await Promise.all([registerUser(server), registerUser(server)]);
    for (const user of [one, two]) ok(await runSticker(server, user, 'installStickerPack', { packId: pack.id }));
    expect(ok(await runSticker(server, one, 'uninstallStickerPack', { packId: pack.id }))).toEqual({ uninstallStickerPack: true });
    expect((await stickerPacks(server, one)).some((p) => p.id === pack.id)).toBe(false);
    expect((await stickerPacks(server, two)).some((p) => p.id === pack.id)).toBe(true);
    expect((await stickerPacks(server, owner)).some((p) => p.id === pack.id)).toBe(true);
    // Its owner may take it out of their own list too, and it is still theirs.
    ok(await runSticker(server, owner, 'uninstallStickerPack', { packId: pack.id }));
    const mine = (ok(await runSticker(server, owner, 'myStickerPacks')) as { myStickerPacks: TestPack[] }).myStickerPacks;
    expect(mine.find((p) => p.id === pack.id)).toMatchObject({ installed: false });
    ok(await runSticker(server, one, 'installStickerPack', { packId: pack.id }));
    expect((await stickerPacks(server, one)).at(-1)!.id).toBe(pack.id);
  });

  it('deleted by its owner, leaves every list and its link; the messages that carry its stickers keep showing them', async () => {
    const pack = await publishedPack(server, owner, 2);
    ok(await runSticker(server, friend, 'installStickerPack', { packId: pack.id }));
    const direct = await createDirect(server, friend, owner.id);
    const sent = ok(await sendSticker(friend, direct, pack.stickers[0]!.id)).sendMessage;

    expect(ok(await runSticker(server, owner, 'deleteStickerPack', { packId: pack.id }))).toEqual({ deleteStickerPack: true });
    for (const user of [owner, friend]) expect((await stickerPacks(server, user)).some((p) => p.id === pack.id)).toBe(false);
    expect(codeOf(await runSticker(server, friend, 'stickerPack', { slug: pack.slug }))).toBe('NOT_FOUND');
    expect(codeOf(await runSticker(server, owner, 'stickerPack', { slug: pack.slug }))).toBe('NOT_FOUND');
    expectBadInput(await sendSticker(friend, direct, pack.stickers[1]!.id), 'stickerId');

    for (const user of [owner, friend]) {
      const shown = (await history(user, direct)).find((m) => m.id === sent.id)!;
      expect(shown.sticker).toMatchObject({ id: pack.stickers[0]!.id, emoji: pack.stickers[0]!.emoji });
      expect((await fetchMedia(server, shown.sticker!.url)).status).toBe(200);
    }
  });

  it('a sticker taken out of its pack keeps showing where it was sent, and can no longer be sent', async () => {
    const pack = await publishedPack(server, owner, 2);
    const direct = await createDirect(server, owner, friend.id);
    const sent = ok(await sendSticker(owner, direct, pack.stickers[0]!.id)).sendMessage;
    ok(await runSticker(server, owner, 'removeSticker', { stickerId: pack.stickers[0]!.id }));
    expect((await history(friend, direct)).find((m) => m.id === sent.id)!.sticker!.id).toBe(pack.stickers[0]!.id);
    expectBadInput(await sendSticker(owner, direct, pack.stickers[0]!.id), 'stickerId');
  });

  it("the list's order is the person's: reordered, with the built-in packs first", async () => {
    const user = await registerUser(server);
    const packs = [await publishedPack(server, owner, 1), await publishedPack(server, owner, 1)];
    for (const pack of packs) ok(await runSticker(server, user, 'installStickerPack', { packId: pack.id }));
    const mine = await createPack(server, user, 'Mine');
    const order = [mine.id, packs[1]!.id, packs[0]!.id];
    const answer = (ok(await runSticker(server, user, 'reorderStickerPacks', { packIds: order })) as { reorderStickerPacks: TestPack[] }).reorderStickerPacks;
    const builtinCount = answer.filter((p) => p.builtin).length;
    expect(answer.slice(0, builtinCount).every((p) => p.builtin)).toBe(true);
    expect(answer.slice(builtinCount).map((p) => p.id)).toEqual(order);
    expect((await stickerPacks(server, user)).slice(builtinCount).map((p) => p.id)).toEqual(order);
    expectBadInput(await runSticker(server, user, 'reorderStickerPacks', { packIds: order.slice(1) }), 'packIds');
    expectBadInput(await runSticker(server, user, 'reorderStickerPacks', { packIds: [...order, order[0]] }), 'packIds');
  });
});

describe('sticker messages', () => {
  let alice: TestUser;
  let bob: TestUser;
  let direct: string;
  let stickerId: string;
  beforeAll(async () => {
    [alice, bob] = await Promise.all([registerUser(server), registerUser(server)]);
    direct = await createDirect(server, alice, bob.id);
    stickerId = builtinOf(await stickerPacks(server, alice)).stickers[2]!.id;
  });

  it('take the next seq, reach the other side as an event with the sticker, and a retry with the same clientMsgId is the first send', async () => {
    const { stream } = await connect(server, bob, `${EVENT_SELECTION} ... on ConversationChange { message { sticker { id packId } } }`);
    const text = ok(await server.gql<{ sendMessage: StickerMessage }>(SEND_STICKER, { input: { conversationId: direct, clientMsgId: randomUUID(), body: 'hi' } }, alice.token)).sendMessage;
    const clientMsgId = randomUUID();
    const [first, retry] = await Promise.all([sendSticker(alice, direct, stickerId, { clientMsgId }), sendSticker(alice, direct, stickerId, { clientMsgId })]);
    const sent = ok(first).sendMessage;
    expect(ok(retry).sendMessage.id).toBe(sent.id);
    expect(sent).toMatchObject({ seq: text.seq + 1, kind: 'STICKER', clientMsgId, sticker: { id: stickerId } });
    expect(await server.db.prisma.message.count({ where: { senderId: alice.id, clientMsgId } })).toBe(1);

    const event = await stream.next((e) => e.message?.id === sent.id);
    expect(event).toMatchObject({ seq: sent.seq, message: { kind: 'STICKER', sticker: { id: stickerId, packId: expect.any(String) } } });
  });

  it('are sent alone: with a body or media they are refused, and nothing is written', async () => {
    const before = await server.db.prisma.message.count({ where: { conversationId: direct } });
    expectBadInput(await sendSticker(alice, direct, stickerId, { body: 'and words' }), 'stickerId');
    const photo = await upload(server, alice, await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).png().toBuffer(), 'photo');
    expectBadInput(await sendSticker(alice, direct, stickerId, { mediaIds: [photo.body.id] }), 'stickerId');
    for (const id of [randomUUID(), 'not-an-id']) expectBadInput(await sendSticker(alice, direct, id), 'stickerId');
    expect(await server.db.prisma.message.count({ where: { conversationId: direct } })).toBe(before);
  });

  it('cannot be edited, and once deleted show no sticker', async () => {
    const sent = ok(await sendSticker(alice, direct, stickerId)).sendMessage;
    expectBadInput(await run(server, alice, 'editMessage', { id: sent.id, body: 'words' }), 'messageId');
    ok(await run(server, alice, 'deleteMessage', { id: sent.id }));
    expect((await history(bob, direct)).find((m) => m.id === sent.id)).toMatchObject({ deleted: true, sticker: null });
  });
});

describe('bad input, each refused with its field and nothing written', () => {
  let user: TestUser;
  let other: TestUser;
  let pack: TestPack;
  beforeAll(async () => {
    [user, other] = await Promise.all([registerUser(server), registerUser(server)]);
    pack = await createPack(server, user, 'Bad inputs');
  });
  const stickersOf = (packId: string) => server.db.prisma.sticker.count({ where: { packId } });

  it.each([[''], ['   '], ['x'.repeat(65)], ['tab\there']])('createStickerPack: title %j', async (title) => {
    const before = await server.db.prisma.stickerPack.count({ where: { ownerId: user.id } });
    expectBadInput(await runSticker(server, user, 'createStickerPack', { title }), 'title');
    expect(await server.db.prisma.stickerPack.count({ where: { ownerId: user.id } })).toBe(before);
  });

  it.each([['a'], ['🙂🙂'], [''], ['🙂 x']])('addSticker: emoji %j', async (emoji) => {
    const mediaId = await uploadSticker(server, user);
    expectBadInput(await runSticker(server, user, 'addSticker', { input: { packId: pack.id, mediaId, emoji } }), 'emoji');
    expect(await stickersOf(pack.id)).toBe(0);
  });

  it("addSticker: an upload that is not a sticker, someone else's, or none", async () => {
    const photo = (await upload(server, user, await sharp({ create: { width: 8, height: 8, channels: 3, background: '#0f0' } }).png().toBuffer(), 'photo')).body.id;
    const theirs = await uploadSticker(server, other);
    for (const mediaId of [photo, theirs, randomUUID(), 'nope']) {
      expectBadInput(await runSticker(server, user, 'addSticker', { input: { packId: pack.id, mediaId, emoji: '🙂' } }), 'mediaId');
    }
    expect(await stickersOf(pack.id)).toBe(0);
  });

  it('publishStickerPack: an empty pack', async () => {
    expectBadInput(await runSticker(server, user, 'publishStickerPack', { packId: pack.id }), 'packId');
    expect((await server.db.prisma.stickerPack.findUniqueOrThrow({ where: { id: pack.id } })).publishedAt).toBeNull();
  });

  it('reorderStickers: not every sticker once', async () => {
    const [a, b] = [await addSticker(server, user, pack.id), await addSticker(server, user, pack.id)];
    const before = await server.db.prisma.sticker.findMany({ where: { packId: pack.id }, orderBy: { id: 'asc' } });
    for (const stickerIds of [[a.id], [a.id, a.id], [a.id, b.id, randomUUID()], [a.id, 'nope']]) {
      expectBadInput(await runSticker(server, user, 'reorderStickers', { packId: pack.id, stickerIds }), 'stickerIds');
    }
    expect(await server.db.prisma.sticker.findMany({ where: { packId: pack.id }, orderBy: { id: 'asc' } })).toEqual(before);
  });

  it('stickerPack: a slug that cannot be one is NOT_FOUND like a missing one', async () => {
    for (const slug of ['missing-slug', '../x', 'ü'.repeat(10)]) expect(codeOf(await runSticker(server, user, 'stickerPack', { slug }))).toBe('NOT_FOUND');
  });
});

describe('limits, with stable codes', () => {
  it(`a pack holds ${STICKER_LIMITS.stickersPerPack} stickers, also when the last ones are added all at once`, async () => {
    const user = await registerUser(server);
    const pack = await createPack(server, user, 'Full');
    const mediaId = await uploadSticker(server, user);
    // All but the last 5 made straight in the database; then 10 at once race for those 5 places.
    // (125 at once made the last one wait for 124 others' transactions: seconds on a busy machine.)
    const first = STICKER_LIMITS.stickersPerPack - 5;
    await server.db.prisma.sticker.createMany({ data: Array.from({ length: first }, (_, i) => ({ packId: pack.id, mediaId, emoji: '🙂', position: i + 1 })) });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => runSticker(server, user, 'addSticker', { input: { packId: pack.id, mediaId, emoji: '🙂' } })),
    );
    const refused = answers.filter((answer) => answer.errors);
    expect(refused).toHaveLength(5);
    for (const answer of refused) expect(answer.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'stickersPerPack', max: STICKER_LIMITS.stickersPerPack });
    expect(await server.db.prisma.sticker.count({ where: { packId: pack.id } })).toBe(STICKER_LIMITS.stickersPerPack);
  });

  it('an addition waits its turn behind a pack held for longer than a moment, and is made', async () => {
    const user = await registerUser(server);
    const pack = await createPack(server, user, 'Held');
    const mediaId = await uploadSticker(server, user);
    const holder = new pg.Client({ connectionString: server.config.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM sticker_packs WHERE id = $1 FOR UPDATE', [pack.id]);
      let settled = false;
      const adding = runSticker(server, user, 'addSticker', { input: { packId: pack.id, mediaId, emoji: '🙂' } }).finally(() => (settled = true));
      for (;;) {
        // The addition waits for the holder's transaction: a lock on its id, not on the table.
        const waiting = await holder.query(`SELECT 1 FROM pg_locks WHERE locktype = 'transactionid' AND transactionid::text::bigint = txid_current() AND NOT granted`);
        if (waiting.rowCount || settled) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Held past Prisma's own limits for an interactive transaction (2 s to begin, 5 s in all),
      // which answered INTERNAL_SERVER_ERROR to whoever waited that long on a busy server.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      await holder.query('COMMIT');
      expect(ok(await adding)).toBeTruthy();
      expect(await server.db.prisma.sticker.count({ where: { packId: pack.id } })).toBe(1);
    } finally {
      await holder.end();
    }
  }, 30_000);

  it(`a person makes at most ${STICKER_LIMITS.packsPerOwner} packs; a deleted one frees its place`, async () => {
    const user = await registerUser(server);
    const made: TestPack[] = [];
    for (let i = 0; i < STICKER_LIMITS.packsPerOwner; i++) made.push(await createPack(server, user, `Pack ${i}`));
    const refused = await runSticker(server, user, 'createStickerPack', { title: 'One more' });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'packsPerOwner', max: STICKER_LIMITS.packsPerOwner });
    ok(await runSticker(server, user, 'deleteStickerPack', { packId: made[0]!.id }));
    ok(await runSticker(server, user, 'createStickerPack', { title: 'One more' }));
  });

  it(`a list holds ${STICKER_LIMITS.installedPacks} packs besides the built-in ones`, async () => {
    const [user, maker] = await Promise.all([registerUser(server), registerUser(server)]);
    // Published packs made straight in the database: the API would take thousands of requests to make them.
    const ids = Array.from({ length: STICKER_LIMITS.installedPacks + 1 }, () => randomUUID());
    await server.db.prisma.stickerPack.createMany({ data: ids.map((id) => ({ id, ownerId: maker.id, title: 'Bulk', slug: id.replaceAll('-', ''), publishedAt: new Date() })) });
    await server.db.prisma.installedStickerPack.createMany({ data: ids.slice(1).map((packId, i) => ({ userId: user.id, packId, position: i + 1 })) });
    const refused = await runSticker(server, user, 'installStickerPack', { packId: ids[0] });
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'LIMIT_EXCEEDED', limit: 'installedPacks', max: STICKER_LIMITS.installedPacks });
    // A pack they make is theirs, but their full list does not grow.
    expect(await createPack(server, user, 'Made with a full list')).toMatchObject({ mine: true, installed: false });
    expect(await server.db.prisma.installedStickerPack.count({ where: { userId: user.id } })).toBe(STICKER_LIMITS.installedPacks);
  });
});
