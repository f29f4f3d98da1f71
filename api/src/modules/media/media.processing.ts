/**
 * What an upload becomes, decided by its bytes alone (never its name or declared type):
 * images are decoded and encoded anew with sharp — orientation applied, EXIF, GPS and every
 * other metadata dropped — with a thumbnail and a ThumbHash placeholder; anything else
 * uploaded as a file is kept as it is, to be served only as a download.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import sharp, { type Sharp } from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';
import { contentKey, type MediaStorage } from '../../core/storage/storage.js';
import type { Media } from '../../generated/prisma/client.js';
import type { MediaPurpose } from '../../generated/prisma/enums.js';
import { badFile, MediaConstraint, tooLarge } from './media.errors.js';

/** Image types accepted for photos, avatars and stickers (by their bytes). SVG is never one. */
export const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);

/** Bounds of the result: the longest side of a photo's thumbnail, of the avatar sizes, of a sticker. */
export const SIZES = { photoThumb: 480, avatarLarge: 512, avatarSmall: 128, sticker: 512, stickerThumb: 160, placeholder: 100 } as const;

/** One stored rendition: its bytes (or the upload's file, kept as it is) and their SHA-256. */
export type Rendition = { buffer: Buffer; sha256: string; bytes: number } | { path: string; sha256: string; bytes: number };

export interface Processed {
  mime: string;
  width: number | null;
  height: number | null;
  main: Rendition;
  thumbnail: Rendition | null;
  placeholder: string | null;
}

/** The upload as written to disk, hashed while it arrived. */
export interface ReceivedFile {
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * Markup or script anywhere in an image's bytes: a file that is both an image and an HTML
 * page (or a script) could run as one if a browser or a careless proxy ever sniffed it. A real
 * image's compressed data holds one of these by chance with odds below 2⁻⁵⁶ per position.
 */
const MARKUP = /<(?:script|html|body|head|iframe|svg|object|embed|meta|link|style|form|img|a\s+href)[\s>/]|<!doctype|<\?xml|javascript:/i;

function sha256Of(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}

function rendition(buffer: Buffer): Rendition {
  return { buffer, sha256: sha256Of(buffer), bytes: buffer.length };
}

/**
 * Images decoded at once, at most: a 40-megapixel photo takes some 160 MB decoded, and libvips
 * already spreads each one over every core. The others wait their turn.
 */
const IMAGES_AT_ONCE = 2;
let decoding = 0;
const waiting: (() => void)[] = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  // A finished image hands its turn straight to the next in line, so none can slip in between.
  if (decoding >= IMAGES_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  else decoding++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else decoding--;
  }
}

/** Turns a received upload into what is stored, or throws the refusal (an UploadRefused). */
export async function processUpload(purpose: MediaPurpose, file: ReceivedFile, limits: { pixels: number }): Promise<Processed> {
  if (purpose === 'FILE') {
    const type = await fileTypeFromFile(file.path).catch(() => undefined);
    return { mime: type?.mime ?? 'application/octet-stream', width: null, height: null, main: file, thumbnail: null, placeholder: null };
  }
  return inTurn(() => processImage(purpose, file, limits));
}

async function processImage(purpose: Exclude<MediaPurpose, 'FILE'>, file: ReceivedFile, limits: { pixels: number }): Promise<Processed> {
  const input = await readFile(file.path);
  const type = await fileTypeFromBuffer(input).catch(() => undefined);
  if (!type || !IMAGE_TYPES.has(type.mime)) {
    const found = type ? ` (it is ${type.mime})` : '';
    throw badFile(415, MediaConstraint.type, `This is not an image${found}: upload a JPEG, PNG, WebP, GIF or AVIF.`, type ? { detected: type.mime } : {});
  }
  if (MARKUP.test(input.toString('latin1'))) {
    throw badFile(422, MediaConstraint.noMarkup, 'This image also holds markup or script, and is refused.');
  }
  // The header alone says how large the decoded image would be: a bomb is refused before decoding.
  const header = await sharp(input, { limitInputPixels: false }).metadata().catch(() => null);
  if (!header?.width || !header.height) throw badFile(422, MediaConstraint.decodable, 'This image cannot be read: it may be truncated or corrupt.');
  if (header.width * header.height > limits.pixels) {
    throw tooLarge('photoPixels', limits.pixels, `This image has ${header.width}×${header.height} pixels; at most ${limits.pixels.toLocaleString('en')} are accepted.`);
  }
  // failOn 'warning' (sharp's default, said here on purpose): a truncated image fails rather than decoding half grey.
  const image = sharp(input, { limitInputPixels: limits.pixels, failOn: 'warning', autoOrient: true, animated: false });
  try {
    return await encode(purpose, image, Boolean(header.hasAlpha));
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw tooLarge('photoPixels', limits.pixels, `This image has more than ${limits.pixels.toLocaleString('en')} pixels.`);
    }
    throw badFile(422, MediaConstraint.decodable, 'This image cannot be read: it may be truncated or corrupt.');
  }
}

async function encode(purpose: Exclude<MediaPurpose, 'FILE'>, image: Sharp, hasAlpha: boolean): Promise<Processed> {
  switch (purpose) {
    case 'PHOTO': {
      // Opaque photos as JPEG; those with transparency (screenshots, drawings) as WebP, which keeps it.
      const main = await (hasAlpha ? image.clone().webp({ quality: 85 }) : image.clone().jpeg({ quality: 85 })).toBuffer({ resolveWithObject: true });
      const thumbnail = await image.clone().resize(SIZES.photoThumb, SIZES.photoThumb, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 70 }).toBuffer();
      return {
        mime: hasAlpha ? 'image/webp' : 'image/jpeg',
        width: main.info.width,
        height: main.info.height,
        main: rendition(main.data),
        thumbnail: rendition(thumbnail),
        placeholder: await placeholderOf(image),
      };
    }
    case 'AVATAR': {
      // Cropped square around the image's most salient part, at the header's size and the list's.
      const square = (side: number) => image.clone().resize(side, side, { fit: 'cover', position: sharp.strategy.attention }).webp({ quality: 85 }).toBuffer();
      const [large, small] = await Promise.all([square(SIZES.avatarLarge), square(SIZES.avatarSmall)]);
      return {
        mime: 'image/webp',
        width: SIZES.avatarLarge,
        height: SIZES.avatarLarge,
        main: rendition(large),
        thumbnail: rendition(small),
        placeholder: await placeholderOf(image, true),
      };
    }
    case 'STICKER': {
      // 512 px on its longest side, as WebP with its transparency kept.
      const main = await image.clone().resize(SIZES.sticker, SIZES.sticker, { fit: 'inside' }).webp({ quality: 90, alphaQuality: 100 }).toBuffer({ resolveWithObject: true });
      const thumbnail = await image.clone().resize(SIZES.stickerThumb, SIZES.stickerThumb, { fit: 'inside' }).webp({ quality: 80, alphaQuality: 100 }).toBuffer();
      return {
        mime: 'image/webp',
        width: main.info.width,
        height: main.info.height,
        main: rendition(main.data),
        thumbnail: rendition(thumbnail),
        placeholder: await placeholderOf(image),
      };
    }
  }
}

/** A ThumbHash (base64, ~30 bytes) of the image: what a client draws, blurred, at the image's final size before it arrives. */
async function placeholderOf(image: Sharp, square = false): Promise<string> {
  const { data, info } = await image
    .clone()
    .resize(SIZES.placeholder, SIZES.placeholder, square ? { fit: 'cover', position: sharp.strategy.attention } : { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return Buffer.from(rgbaToThumbHash(info.width, info.height, data)).toString('base64');
}

/** Stores a rendition under its content key: the same bytes are kept once. */
async function put(storage: MediaStorage, rendition: Rendition, mime: string): Promise<void> {
  await storage.put(contentKey(rendition.sha256), 'buffer' in rendition ? { buffer: rendition.buffer } : { path: rendition.path, bytes: rendition.bytes }, mime);
}

/** A processed upload's media row, its renditions named by their content (name: null, the caller's to set). */
export function mediaColumns(processed: Processed, purpose: MediaPurpose, ownerId: string | null): Omit<Media, 'id' | 'createdAt'> {
  return {
    ownerId,
    purpose,
    mime: processed.mime,
    bytes: processed.main.bytes,
    width: processed.width,
    height: processed.height,
    name: null,
    placeholder: processed.placeholder,
    storageKey: contentKey(processed.main.sha256),
    thumbnailKey: processed.thumbnail ? contentKey(processed.thumbnail.sha256) : null,
    sha256: processed.main.sha256,
  };
}

/** Stores a processed upload's renditions (where its media row says: {@link mediaColumns}). */
export async function putRenditions(storage: MediaStorage, processed: Processed): Promise<void> {
  await put(storage, processed.main, processed.mime);
  if (processed.thumbnail) await put(storage, processed.thumbnail, 'image/webp');
}

/**
 * Stores a processed upload's renditions, then gives its media row's columns: for writers that
 * insert the row afterwards, through a ClaimingStorage (media.contents.ts). People's uploads
 * insert their row first (MediaService.store).
 */
export async function storeProcessed(storage: MediaStorage, processed: Processed, purpose: MediaPurpose, ownerId: string | null): Promise<Omit<Media, 'id' | 'createdAt'>> {
  await putRenditions(storage, processed);
  return mediaColumns(processed, purpose, ownerId);
}
