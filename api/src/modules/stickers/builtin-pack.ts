/**
 * The built-in sticker pack, drawn in this project (assets/stickers/builtin: one SVG per
 * sticker and pack.json). At every start, and in `db:migrate` / `db:seed`, each drawing is
 * rendered with sharp and encoded by the upload pipeline's sticker encoding (a 512 px WebP
 * with transparency and a thumbnail), stored in the media storage with no owner, and the pack
 * is brought in line with pack.json: idempotent, and safe when several instances start at once.
 * SVG is never an upload; these files are the project's own.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../config/env.js';
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import type { MediaStorage } from '../../core/storage/storage.js';
import type { Media } from '../../generated/prisma/client.js';
import { processDrawing } from '../media/media.drawings.js';
import { storeProcessed, type Processed } from '../media/media.processing.js';

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
  /** Stickers added, or whose drawing, emoji or place changed. */
  changed: string[];
  /** Stickers no longer in pack.json, taken out of the pack (sent messages keep showing them). */
  removed: string[];
}

export async function readManifest(dir = BUILTIN_DIR): Promise<PackManifest> {
  return JSON.parse(await readFile(path.join(dir, 'pack.json'), 'utf8')) as PackManifest;
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
  const manifest = await readManifest(dir);
  const workDir = await mkdtemp(path.join(tmpdir(), 'dash-stickers-'));
  try {
    // Rendered before the transaction (the same drawing always gives the same bytes), stored by content.
    // All at once: sharp works on libuv's threads, so the drawings render side by side.
    const rendered = new Map(
      await Promise.all(
        manifest.stickers.map(async ({ name }) => {
          if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new Error(`pack.json: "${name}" is not a sticker file name`);
          return [name, await storeProcessed(storage, await renderSticker(await readFile(path.join(dir, `${name}.svg`)), workDir), 'STICKER', null)] as const;
        }),
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
        if (pack.title !== manifest.title || pack.deletedAt) {
          await tx.stickerPack.update({ where: { id: pack.id }, data: { title: manifest.title, deletedAt: null } });
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
        return { packId: pack.id, changed, removed };
      },
      // Long enough to wait for another instance doing the same.
      { timeout: 60_000, maxWait: 60_000 },
    );
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
