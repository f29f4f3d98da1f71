/**
 * Drawings of this project's own (SVG files under assets/) as a person's uploads: rendered to a
 * PNG with sharp, then through the upload pipeline like any image a person sends (processUpload:
 * re-encoded, a thumbnail, a placeholder), stored by content and recorded as their media. For the
 * demo data (photos, avatars, a sticker pack) and the built-in sticker pack; SVG is never an
 * upload, and these files are ours.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import type { MediaStorage } from '../../core/storage/storage.js';
import type { Media, MediaPurpose } from '../../generated/prisma/client.js';
import { processUpload, SIZES, storeProcessed, type Processed } from './media.processing.js';

/** A drawing's PNG: at its own size, or (a sticker) fitted into the sticker square with transparency around it. */
async function rasterize(svg: Buffer, purpose: MediaPurpose): Promise<Buffer> {
  const image = sharp(svg, { density: 72 });
  if (purpose === 'STICKER') image.resize(SIZES.sticker, SIZES.sticker, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 } });
  return image.png().toBuffer();
}

/** One drawing through the upload pipeline, as if `purpose`'s upload; the work file goes in `workDir`. */
export async function processDrawing(svg: Buffer, purpose: MediaPurpose, workDir: string): Promise<Processed> {
  const png = await rasterize(svg, purpose);
  const sha256 = createHash('sha256').update(png).digest('hex');
  const file = path.join(workDir, `${sha256}.png`);
  await writeFile(file, png);
  return processUpload(purpose, { path: file, bytes: png.length, sha256 }, { pixels: 40_000_000 });
}

/** One of our drawings as `ownerId`'s upload for `purpose`: rendered, encoded, stored, recorded. */
export async function uploadDrawing(prisma: PrismaClient, storage: MediaStorage, svgFile: string, ownerId: string, purpose: MediaPurpose): Promise<Media> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'dash-drawings-'));
  try {
    const processed = await processDrawing(await readFile(svgFile), purpose, workDir);
    return await prisma.media.create({ data: await storeProcessed(storage, processed, purpose, ownerId) });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
