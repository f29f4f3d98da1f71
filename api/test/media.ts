/**
 * Uploads through the real POST /media, and images made for the tests with sharp (or byte by
 * byte where an image must be broken in a precise way), shared by the media tests.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import sharp from 'sharp';
import type { GraphQLResponse } from './server.js';

export interface UploadResult {
  status: number;
  body: {
    id?: string;
    purpose?: string;
    mime?: string;
    bytes?: number;
    width?: number | null;
    height?: number | null;
    name?: string | null;
    placeholder?: string | null;
    url?: string;
    thumbnailUrl?: string | null;
  } & Pick<GraphQLResponse, 'errors'>;
}

/** Posts `file` as multipart/form-data to `baseUrl`/media. */
export async function upload(
  baseUrl: string,
  token: string | null,
  purpose: string | null,
  file: Buffer,
  filename = 'upload.bin',
  type = 'application/octet-stream',
): Promise<UploadResult> {
  const form = new FormData();
  form.append('file', new Blob([file], { type }), filename);
  const response = await fetch(`${baseUrl}/media${purpose ? `?purpose=${purpose}` : ''}`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  return { status: response.status, body: (await response.json()) as UploadResult['body'] };
}

/** The first error's code and, for a refused file, its constraint. */
export function refusal(result: UploadResult): { status: number; code: string | undefined; constraint?: string; limit?: unknown } {
  const error = result.body.errors?.[0];
  const fields = (error?.extensions.fields ?? []) as { constraint: string }[];
  return {
    status: result.status,
    code: error?.extensions.code,
    ...(fields[0] ? { constraint: fields[0].constraint } : {}),
    ...(error?.extensions.limit !== undefined ? { limit: error.extensions.limit } : {}),
  };
}

/** A JPEG of `width`×`height` whose EXIF holds a camera make and a GPS position. */
export function jpegWithGps(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'Spy Camera Co', Model: 'Tracker 3000' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '55/1 45/1 2/1', GPSLongitudeRef: 'E', GPSLongitude: '37/1 37/1 4/1' },
    })
    .toBuffer();
}

/** A JPEG whose EXIF says to turn it a quarter (orientation 6): stored 64×48, shown 48×64. */
export function rotatedJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 10, g: 120, b: 200 } } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
}

/** A PNG with transparency. */
export function transparentPng(width = 1000, height = 500): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 0, g: 200, b: 0, alpha: 0.5 } } }).png().toBuffer();
}

/** A PNG chunk: length, type, data, CRC. */
function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * A decompression bomb: a PNG of a few hundred bytes whose header says 50,000 × 50,000
 * pixels (2.5 gigapixels, 10 GB decoded as RGBA). Its data is a little of a zero image.
 */
export function pngBomb(side = 50_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  const rows = deflateSync(Buffer.alloc((side + 1) * 4));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

/** Every file under `dir` (recursively), as paths relative to it; none when it does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
