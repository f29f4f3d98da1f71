/**
 * Who may do what with sticker packs, tried from the outside: every operation without a
 * session; a stranger against someone's unpublished pack (answered exactly like a missing or
 * malformed id: they learn nothing) and against a published one (seen, but not theirs to
 * change); and whose uploads and stickers may be used. Every refusal is checked to have
 * changed nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../../../test/factories.js';
import { MALFORMED_ID, MISSING_ID, outcomeOf, type Answer } from '../../../test/authz-fixtures.js';
import { createDirect, ok } from '../../../test/messenger.js';
import { startTestServer, type TestServer } from '../../../test/server.js';
import { addSticker, createPack, publishedPack, runSticker, uploadSticker, type StickerOperation, type TestPack } from '../../../test/stickers.js';

let server: TestServer;
let owner: TestUser;
let stranger: TestUser;
let draft: TestPack;
let shared: TestPack;
beforeAll(async () => {
  server = await startTestServer();
  [owner, stranger] = await Promise.all([registerUser(server), registerUser(server)]);
  draft = await createPack(server, owner, 'Draft');
  await addSticker(server, owner, draft.id, '🐙');
  draft = (ok(await runSticker(server, owner, 'myStickerPacks')) as { myStickerPacks: TestPack[] }).myStickerPacks.find((p) => p.id === draft.id)!;
  shared = await publishedPack(server, owner, 2);
});
afterAll(() => server.close());

/** Everything a refused operation must leave as it was: the owner's packs and stickers, and every list that holds them. */
async function packState() {
  const { prisma } = server.db;
  const packIds = [draft.id, shared.id];
  const [packs, stickers, installs] = await Promise.all([
    prisma.stickerPack.findMany({ where: { ownerId: owner.id }, orderBy: { id: 'asc' } }),
    prisma.sticker.findMany({ where: { packId: { in: packIds } }, orderBy: { id: 'asc' } }),
    prisma.installedStickerPack.findMany({ where: { packId: { in: packIds } }, orderBy: [{ userId: 'asc' }, { packId: 'asc' }] }),
  ]);
  return { packs, stickers, installs };
}

type Vars = Record<string, unknown>;
/** The operations on one pack, aimed at pack `id` (and, for sticker operations, its first sticker `stickerId`). */
const PACK_OPS: { op: StickerOperation; vars: (id: string, stickerId: string) => Vars }[] = [
  { op: 'renameStickerPack', vars: (id) => ({ packId: id, title: 'Taken over' }) },
  { op: 'publishStickerPack', vars: (id) => ({ packId: id }) },
  { op: 'deleteStickerPack', vars: (id) => ({ packId: id }) },
  { op: 'addSticker', vars: (id) => ({ input: { packId: id, mediaId: MISSING_ID, emoji: '🙂' } }) },
  // No sticker ids: a malformed one would be refused as input before the pack is looked at.
  { op: 'reorderStickers', vars: (id) => ({ packId: id, stickerIds: [] }) },
  { op: 'removeSticker', vars: (_id, stickerId) => ({ stickerId }) },
];

describe('without a session', () => {
  let loggedOut: TestUser;
  beforeAll(async () => {
    loggedOut = await registerUser(server);
    ok(await server.gql('mutation { logout }', {}, loggedOut.token));
  });

  const everyOperation: [StickerOperation, () => Vars][] = [
    ...PACK_OPS.map(({ op, vars }): [StickerOperation, () => Vars] => [op, () => vars(shared.id, shared.stickers[0]!.id)]),
    ['stickerPacks', () => ({})],
    ['myStickerPacks', () => ({})],
    ['recentStickers', () => ({})],
    ['stickerPack', () => ({ slug: shared.slug })],
    ['createStickerPack', () => ({ title: 'Mine' })],
    ['installStickerPack', () => ({ packId: shared.id })],
    ['uninstallStickerPack', () => ({ packId: shared.id })],
    ['reorderStickerPacks', () => ({ packIds: [shared.id] })],
  ];

  it.each(everyOperation)('%s answers UNAUTHENTICATED, with no token and with an ended session', async (op, vars) => {
    const before = await packState();
    for (const user of [null, loggedOut]) {
      const result = await runSticker(server, user, op, vars());
      expect(outcomeOf(result)).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(Object.values(result.data ?? {}).filter((value) => value !== null)).toEqual([]);
    }
    expect(await packState()).toEqual(before);
  });
});

describe('a stranger', () => {
  const answers = async (op: StickerOperation, vars: (id: string, stickerId: string) => Vars, targets: [string, string][]) => {
    const before = await packState();
    const seen: Answer[] = [];
    for (const [id, stickerId] of targets) seen.push(outcomeOf(await runSticker(server, stranger, op, vars(id, stickerId))));
    expect(await packState()).toEqual(before);
    return seen;
  };

  it.each(PACK_OPS)("$op: someone's unpublished pack is answered like a missing or malformed id", async ({ op, vars }) => {
    const seen = await answers(op, vars, [[draft.id, draft.stickers[0]!.id], [MISSING_ID, MISSING_ID], [MALFORMED_ID, MALFORMED_ID]]);
    expect(seen[0]).toMatchObject({ code: 'NOT_FOUND' });
    for (const other of seen.slice(1)) expect(other).toEqual(seen[0]);
  });

  it.each(PACK_OPS)("$op: someone's published pack is seen, and not theirs to change (FORBIDDEN)", async ({ op, vars }) => {
    const [seen] = await answers(op, vars, [[shared.id, shared.stickers[0]!.id]]);
    expect(seen).toMatchObject({ code: 'FORBIDDEN' });
  });

  it("cannot preview or add someone's unpublished pack: its slug and id are answered like missing ones", async () => {
    const before = await packState();
    const bySlug = [draft.slug, 'missingslug1'].map(async (slug) => outcomeOf(await runSticker(server, stranger, 'stickerPack', { slug })));
    const [hidden, missing] = await Promise.all(bySlug);
    expect(hidden).toMatchObject({ code: 'NOT_FOUND' });
    expect(hidden).toEqual(missing);
    const install = [draft.id, MISSING_ID, MALFORMED_ID].map(async (packId) => outcomeOf(await runSticker(server, stranger, 'installStickerPack', { packId })));
    const installs = await Promise.all(install);
    expect(installs[0]).toMatchObject({ code: 'NOT_FOUND' });
    for (const other of installs.slice(1)) expect(other).toEqual(installs[0]);
    expect(await packState()).toEqual(before);
  });

  it('taking a pack out of their list touches nobody else\'s, whoever\'s pack it is', async () => {
    const before = await packState();
    for (const packId of [draft.id, shared.id, MISSING_ID]) ok(await runSticker(server, stranger, 'uninstallStickerPack', { packId }));
    expect(await packState()).toEqual(before);
  });

  it("cannot make a sticker from someone else's upload, even in their own pack", async () => {
    const theirs = await uploadSticker(server, owner);
    const own = await createPack(server, stranger, 'Borrowed');
    const seen: Answer[] = [];
    for (const mediaId of [theirs, MISSING_ID, MALFORMED_ID]) {
      seen.push(outcomeOf(await runSticker(server, stranger, 'addSticker', { input: { packId: own.id, mediaId, emoji: '🙂' } })));
    }
    expect(seen[0]).toMatchObject({ code: 'BAD_USER_INPUT' });
    for (const other of seen.slice(1)) expect(other).toEqual(seen[0]);
    expect(await server.db.prisma.sticker.count({ where: { packId: own.id } })).toBe(0);
  });

  it("cannot send a sticker of someone's unpublished pack: answered like a missing sticker, nothing sent", async () => {
    const direct = await createDirect(server, stranger, owner.id);
    const seen: Answer[] = [];
    for (const stickerId of [draft.stickers[0]!.id, shared.stickers[0]!.id, MISSING_ID, MALFORMED_ID]) {
      const result = await server.gql('mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', { input: { conversationId: direct, clientMsgId: randomUUID(), stickerId } }, stranger.token);
      seen.push(outcomeOf(result));
    }
    expect(seen[0]).toMatchObject({ code: 'BAD_USER_INPUT' });
    for (const other of seen.slice(1)) expect(other).toEqual(seen[0]);
    expect(await server.db.prisma.message.count({ where: { conversationId: direct } })).toBe(0);
  });
});

describe('the owner', () => {
  it('sees and sends from their own unpublished pack, and may preview it by its link', async () => {
    ok(await runSticker(server, owner, 'stickerPack', { slug: draft.slug }));
    const direct = await createDirect(server, owner, stranger.id);
    ok(await server.gql('mutation($input: SendMessageInput!) { sendMessage(input: $input) { id } }', { input: { conversationId: direct, clientMsgId: randomUUID(), stickerId: draft.stickers[0]!.id } }, owner.token));
  });
});
