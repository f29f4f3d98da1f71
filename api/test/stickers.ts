/**
 * Test helpers for sticker packs, through the public API: images uploaded with POST /media as a
 * person's client does, every sticker operation as a GraphQL document, and the built-in pack
 * installed as start-up installs it.
 */
import { randomInt } from 'node:crypto';
import sharp from 'sharp';
import { createStorage } from '../src/core/storage/storage.js';
import { installBuiltinPack } from '../src/modules/stickers/builtin-pack.js';
import type { TestUser } from './factories.js';
import { ok } from './messenger.js';
import type { GraphQLResponse, TestServer } from './server.js';

export const STICKER_FIELDS = 'id packId emoji url thumbnailUrl width height';
export const PACK_FIELDS = `id title slug builtin published mine installed stickerCount owner { id } stickers { ${STICKER_FIELDS} }`;

export interface TestSticker {
  id: string;
  packId: string;
  emoji: string;
  url: string;
  thumbnailUrl: string | null;
  width: number;
  height: number;
}

export interface TestPack {
  id: string;
  title: string;
  slug: string;
  builtin: boolean;
  published: boolean;
  mine: boolean;
  installed: boolean;
  stickerCount: number;
  owner: { id: string } | null;
  stickers: TestSticker[];
}

/** Every sticker query and mutation; variables are named after the arguments. */
export const STICKER_OPS = {
  stickerPacks: `{ stickerPacks { ${PACK_FIELDS} } }`,
  myStickerPacks: `{ myStickerPacks { ${PACK_FIELDS} } }`,
  stickerPack: `query($slug: String!) { stickerPack(slug: $slug) { ${PACK_FIELDS} } }`,
  recentStickers: `query($first: Int! = 20) { recentStickers(first: $first) { ${STICKER_FIELDS} } }`,
  createStickerPack: `mutation($title: String!) { createStickerPack(title: $title) { ${PACK_FIELDS} } }`,
  renameStickerPack: `mutation($packId: ID!, $title: String!) { renameStickerPack(packId: $packId, title: $title) { ${PACK_FIELDS} } }`,
  publishStickerPack: `mutation($packId: ID!) { publishStickerPack(packId: $packId) { ${PACK_FIELDS} } }`,
  deleteStickerPack: 'mutation($packId: ID!) { deleteStickerPack(packId: $packId) }',
  addSticker: `mutation($input: AddStickerInput!) { addSticker(input: $input) { ${STICKER_FIELDS} } }`,
  removeSticker: `mutation($stickerId: ID!) { removeSticker(stickerId: $stickerId) { ${PACK_FIELDS} } }`,
  reorderStickers: `mutation($packId: ID!, $stickerIds: [ID!]!) { reorderStickers(packId: $packId, stickerIds: $stickerIds) { ${PACK_FIELDS} } }`,
  installStickerPack: `mutation($packId: ID!) { installStickerPack(packId: $packId) { ${PACK_FIELDS} } }`,
  uninstallStickerPack: 'mutation($packId: ID!) { uninstallStickerPack(packId: $packId) }',
  reorderStickerPacks: `mutation($packIds: [ID!]!) { reorderStickerPacks(packIds: $packIds) { ${PACK_FIELDS} } }`,
} as const;

export type StickerOperation = keyof typeof STICKER_OPS;

export function runSticker(server: TestServer, user: TestUser | null, op: StickerOperation, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> {
  return server.gql(STICKER_OPS[op], variables, user?.token);
}

/** The built-in pack, installed as start-up does (idempotent; test files may run it at once). */
export async function installBuiltin(server: TestServer): Promise<void> {
  await installBuiltinPack(server.db.prisma, createStorage(server.config));
}

/** A small transparent PNG of a coloured disc, different at every call (so its upload is new content). */
export async function stickerImage(size = 300): Promise<Buffer> {
  const [r, g, b] = [randomInt(256), randomInt(256), randomInt(256)];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><circle cx="${size / 2}" cy="${size / 2}" r="${size / 2 - randomInt(1, 20)}" fill="rgb(${r},${g},${b})"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Uploads an image as `purpose` (POST /media); the answer's JSON. */
export async function upload(server: TestServer, user: TestUser, image: Buffer, purpose = 'sticker'): Promise<{ status: number; body: { id: string; url: string } & GraphQLResponse }> {
  const form = new FormData();
  form.append('file', new Blob([image], { type: 'image/png' }), 'sticker.png');
  const response = await fetch(`${server.url}/media?purpose=${purpose}`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form });
  return { status: response.status, body: (await response.json()) as { id: string; url: string } & GraphQLResponse };
}

/** Uploads a fresh image as a sticker; its media id. */
export async function uploadSticker(server: TestServer, user: TestUser): Promise<string> {
  const { status, body } = await upload(server, user, await stickerImage());
  if (status !== 201) throw new Error(`upload failed: ${status} ${JSON.stringify(body)}`);
  return body.id;
}

export async function createPack(server: TestServer, user: TestUser, title = 'My pack'): Promise<TestPack> {
  return (ok(await runSticker(server, user, 'createStickerPack', { title })) as { createStickerPack: TestPack }).createStickerPack;
}

export async function addSticker(server: TestServer, user: TestUser, packId: string, emoji = '🙂', mediaId?: string): Promise<TestSticker> {
  const input = { packId, mediaId: mediaId ?? (await uploadSticker(server, user)), emoji };
  return (ok(await runSticker(server, user, 'addSticker', { input })) as { addSticker: TestSticker }).addSticker;
}

/** A published pack of `user` with `count` stickers. */
export async function publishedPack(server: TestServer, user: TestUser, count = 2): Promise<TestPack> {
  const pack = await createPack(server, user, 'Shared pack');
  for (let i = 0; i < count; i++) await addSticker(server, user, pack.id, ['😀', '🎉', '👍'][i % 3]);
  return (ok(await runSticker(server, user, 'publishStickerPack', { packId: pack.id })) as { publishStickerPack: TestPack }).publishStickerPack;
}

export async function stickerPacks(server: TestServer, user: TestUser): Promise<TestPack[]> {
  return (ok(await runSticker(server, user, 'stickerPacks')) as { stickerPacks: TestPack[] }).stickerPacks;
}

/** GETs a signed media URL (relative to the API). */
export function fetchMedia(server: TestServer, url: string): Promise<Response> {
  return fetch(new URL(url, server.url));
}
