/**
 * The built-in sticker pack, drawn in this project (assets/stickers/builtin: one SVG per
 * sticker and pack.json). At start, and in `db:migrate` / `db:seed`, the pack is brought in line
 * with pack.json: each drawing is rendered with sharp and encoded by the upload pipeline's
 * sticker encoding (a 512 px WebP with transparency and a thumbnail), stored in the media storage
 * with no owner, and the pack's rows follow — idempotent, and safe when several instances start
 * at once. Rendering all of them takes about a second, so the pack keeps a fingerprint of what it
 * was made from, and a start that finds it unchanged (its images still stored) renders nothing.
 * SVG is never an upload; these files are the project's own.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { repoRoot } from '../../config/env.js';
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import type { MediaStorage } from '../../core/storage/storage.js';
import type { Media } from '../../generated/prisma/client.js';
import { processDrawing } from '../media/media.drawings.js';
import { SIZES, storeProcessed, type Processed } from '../media/media.processing.js';

/**
 * The version of the stickers' rendering, part of the fingerprint. Raise it when a change to
 * the code makes the same drawing render differently (media.drawings.ts, the sticker encoding
 * in media.processing.ts): every start then renders the pack again, once.
 */
export const RENDERING_VERSION = 1;

/** Where the built-in pack's drawings and pack.json are. */
export const BUILTIN_DIR = path.join(repoRoot, 'assets', 'stickers', 'builtin');

export interface PackManifest {
  slug: string;
  title: string;
  /** In the pack's order: each drawing's file name (without .svg) and the emoji it stands for. */
  stickers: { name: string; emoji: string }[];
}

export interface BuiltinResult {
  packId: string;
  /** How many drawings this installation rendered: none when the pack was found as its fingerprint says. */
  rendered: number;
  /** Stickers added, or whose drawing, emoji or place changed. */
  changed: string[];
  /** Stickers no longer in pack.json, taken out of the pack (sent messages keep showing them). */
  removed: string[];
}

export async function readManifest(dir = BUILTIN_DIR): Promise<PackManifest> {
  return JSON.parse(await readFile(path.join(dir, 'pack.json'), 'utf8')) as PackManifest;
}

/** A pack's sources: pack.json as written, and each drawing's SVG in the pack's order. */
interface PackSources {
  manifestText: string;
  manifest: PackManifest;
  drawings: Map<string, Buffer>;
}

async function readSources(dir: string): Promise<PackSources> {
  const manifestText = await readFile(path.join(dir, 'pack.json'), 'utf8');
  const manifest = JSON.parse(manifestText) as PackManifest;
  const drawings = new Map<string, Buffer>();
  for (const { name } of manifest.stickers) {
    if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new Error(`pack.json: "${name}" is not a sticker file name`);
    drawings.set(name, await readFile(path.join(dir, `${name}.svg`)));
  }
  return { manifestText, manifest, drawings };
}

/**
 * What the pack is made from, as a sha256: pack.json, every drawing, and what renders them (the
 * rendering's version, sharp's and libvips' versions, the sticker size). Any change gives another.
 */
export function packFingerprint({ manifestText, drawings }: Pick<PackSources, 'manifestText' | 'drawings'>): string {
  const hash = createHash('sha256');
  const rendering = { version: RENDERING_VERSION, sharp: sharp.versions.sharp, vips: sharp.versions.vips, size: SIZES.sticker, thumbnail: SIZES.stickerThumb };
  hash.update(`${JSON.stringify(rendering)}\n${manifestText.length}\n${manifestText}`);
  for (const [name, svg] of drawings) hash.update(`\n${name} ${svg.length}\n`).update(svg);
  return hash.digest('hex');
}

/**
 * The pack as installed, when its fingerprint matches and every one of its images is still in the
 * storage (a media folder lost or a storage switched without its content needs them made again).
 */
async function upToDate(prisma: PrismaClient, storage: MediaStorage, slug: string, fingerprint: string): Promise<string | null> {
  const pack = await prisma.stickerPack.findUnique({
    where: { slug },
    include: { stickers: { where: { deletedAt: null }, include: { media: true } } },
  });
  if (!pack || pack.ownerId !== null || pack.deletedAt || pack.fingerprint !== fingerprint) return null;
  const keys = pack.stickers.flatMap(({ media }) => [media.storageKey, ...(media.thumbnailKey ? [media.thumbnailKey] : [])]);
  const stored = await Promise.all(keys.map((key) => storage.has(key)));
  return stored.every(Boolean) ? pack.id : null;
}

/** One of our drawings as a sticker: a 512 px WebP with transparency, as a person's sticker upload becomes. */
export function renderSticker(svg: Buffer, workDir: string): Promise<Processed> {
  return processDrawing(svg, 'STICKER', workDir);
}

/**
 * Makes the built-in pack match the drawings and pack.json.
 * @param dir where the drawings are @default BUILTIN_DIR
 */
export async function installBuiltinPack(prisma: PrismaClient, storage: MediaStorage, dir = BUILTIN_DIR): Promise<BuiltinResult> {
  const sources = await readSources(dir);
  const { manifest } = sources;
  const fingerprint = packFingerprint(sources);
  // Read without the lock: an instance that finds the pack done renders nothing and waits for no one.
  const installed = await upToDate(prisma, storage, manifest.slug, fingerprint);
  if (installed) return { packId: installed, rendered: 0, changed: [], removed: [] };

  const workDir = await mkdtemp(path.join(tmpdir(), 'dash-stickers-'));
  try {
    // Rendered before the transaction (the same drawing always gives the same bytes), stored by content.
    // All at once: sharp works on libuv's threads, so the drawings render side by side.
    const rendered = new Map(
      await Promise.all(
        manifest.stickers.map(async ({ name }) => [name, await storeProcessed(storage, await renderSticker(sources.drawings.get(name)!, workDir), 'STICKER', null)] as const),
      ),
    );
    return await prisma.$transaction(
      async (tx) => {
        // One instance at a time brings the pack in line; the next finds it done.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`builtin-stickers:${manifest.slug}`}, 0))`;
        const pack =
          (await tx.stickerPack.findUnique({ where: { slug: manifest.slug } })) ??
          (await tx.stickerPack.create({ data: { slug: manifest.slug, title: manifest.title, ownerId: null, publishedAt: new Date() } }));
        if (pack.ownerId !== null) throw new Error(`the slug "${manifest.slug}" of the built-in pack is taken by a person's pack`);
        if (pack.title !== manifest.title || pack.deletedAt || pack.fingerprint !== fingerprint) {
          await tx.stickerPack.update({ where: { id: pack.id }, data: { title: manifest.title, deletedAt: null, fingerprint } });
        }
        const existing = new Map(
          (await tx.sticker.findMany({ where: { packId: pack.id }, include: { media: true } })).map((sticker) => [sticker.name ?? '', sticker]),
        );
        const changed: string[] = [];
        for (const [i, { name, emoji }] of manifest.stickers.entries()) {
          const row = rendered.get(name)!;
          const current = existing.get(name);
          const sameImage = current?.media.sha256 === row.sha256;
          if (current && sameImage && current.emoji === emoji && current.position === i + 1 && !current.deletedAt) continue;
          // A drawing that was there before (and back again) keeps its media row.
          const media: Media = sameImage
            ? current!.media
            : ((await tx.media.findFirst({ where: { ownerId: null, sha256: row.sha256 } })) ?? (await tx.media.create({ data: row })));
          await tx.sticker.upsert({
            where: { packId_name: { packId: pack.id, name } },
            create: { packId: pack.id, name, mediaId: media.id, emoji, position: i + 1 },
            update: { mediaId: media.id, emoji, position: i + 1, deletedAt: null },
          });
          changed.push(name);
        }
        const names = new Set(manifest.stickers.map((s) => s.name));
        const removed = [...existing.values()].filter((s) => !s.deletedAt && !names.has(s.name ?? '')).map((s) => s.name ?? s.id);
        if (removed.length > 0) {
          await tx.sticker.updateMany({ where: { packId: pack.id, deletedAt: null, name: { notIn: [...names] } }, data: { deletedAt: new Date() } });
        }
        return { packId: pack.id, rendered: rendered.size, changed, removed };
      },
      // Long enough to wait for another instance doing the same.
      { timeout: 60_000, maxWait: 60_000 },
    );
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
