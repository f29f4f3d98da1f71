/**
 * Media over HTTP, beside /graphql:
 * - `POST /media?purpose=photo|file|avatar|sticker`: one file as multipart/form-data, signed in
 *   with the same bearer token as GraphQL (no GraphQL multipart: a form post needs no preflight,
 *   which makes it CSRF-prone). The body is streamed to disk (busboy), counted and hashed as it
 *   arrives, and cut off at the purpose's limit; it is never held whole in memory.
 * - `GET /media/<id>/<original|thumbnail>?expires=…&signature=…`: a signed URL (media.urls.ts),
 *   with ETag, Cache-Control and byte ranges; files only as downloads.
 * Refusals are JSON in the API's shape, `{ errors: [{ message, extensions: { code, … } }] }`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Express, Request, Response } from 'express';
import { AppError, badInput, badRequest, ErrorCode, notFound, toAppError, unauthenticated } from '../core/errors.js';
import { isUuid } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import { incomingDir } from '../core/storage/storage.js';
import type { Media } from '../generated/prisma/client.js';
import type { MediaPurpose } from '../generated/prisma/enums.js';
import { badFile, MediaConstraint, tooLarge, UploadRefused } from '../modules/media/media.errors.js';
import type { ReceivedFile } from '../modules/media/media.processing.js';
import type { MediaService } from '../modules/media/media.service.js';
import { MEDIA_VARIANTS, type MediaVariant } from '../modules/media/media.urls.js';
import type { Viewer } from './context.js';

export interface MediaRoutesOptions {
  media: MediaService;
  /** The signed-in caller of a request (its bearer token), or null. */
  authenticate(req: Request): Promise<Viewer | null>;
  dataDir: string;
  logger: Logger;
}

/** Room for the multipart framing around a file: boundaries, part headers, the purpose field. */
const FRAMING_BYTES = 16 * 1024;
/** What is still read (and dropped) of a refused body before its connection is cut: lets the client read the answer. */
const DRAIN_BYTES = 1024 * 1024;

const noop = () => {};

const PURPOSES: Record<string, MediaPurpose> = { photo: 'PHOTO', file: 'FILE', avatar: 'AVATAR', sticker: 'STICKER' };

/** What a successful upload answers, with the same names as GraphQL's `Media`. */
export interface UploadAnswer {
  id: string;
  purpose: MediaPurpose;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  name: string | null;
  placeholder: string | null;
  url: string;
  thumbnailUrl: string | null;
}

/** Mounts `POST /media` and `GET /media/:id/:variant` on `app`. */
export function serveMedia(app: Express, options: MediaRoutesOptions): void {
  app.post('/media', (req, res) => {
    upload(req, res, options).catch((error: unknown) => refuse(req, res, error, options.logger));
  });
  app.get('/media/:id/:variant', (req, res) => {
    download(req, res, options.media).catch((error: unknown) => refuse(req, res, error, options.logger));
  });
}

async function upload(req: Request, res: Response, { media, authenticate, dataDir, logger }: MediaRoutesOptions): Promise<void> {
  const viewer = await authenticate(req);
  if (!viewer) throw unauthenticated();
  if (!req.is('multipart/form-data')) throw badRequest('Send the file as multipart/form-data, in a part named "file".');
  const queryPurpose = purposeOf(req.query.purpose);
  await media.admit(viewer.userId);
  // A body declared larger than any limit it could be under is refused before a byte of it is read.
  const declared = Number(req.headers['content-length'] ?? 0);
  const cap = queryPurpose ? media.sizeLimit(queryPurpose) : { limit: 'upload', max: media.largestUpload() };
  if (declared > cap.max + FRAMING_BYTES) throw tooLarge(cap.limit, cap.max, `The upload is larger than ${megabytes(cap.max)}.`);

  const incoming = incomingDir(dataDir);
  await mkdir(incoming, { recursive: true });
  const received = await receive(req, media, incoming, queryPurpose);
  let stored: Media;
  try {
    stored = await media.store(viewer.userId, received.purpose, received.file, received.name);
  } catch (error) {
    logger.debug({ err: error }, 'refused an upload');
    throw error;
  } finally {
    // Gone before the answer: once a client has it, nothing of its upload waits on disk.
    await rm(received.file.path, { force: true });
  }
  res.status(201).json(answerOf(stored, media));
}

interface Received {
  purpose: MediaPurpose;
  file: ReceivedFile;
  name: string | null;
}

/**
 * Reads the multipart body: an optional `purpose` field (when the query has none) and then
 * one file part, written to `incoming` while it is counted and hashed. Rejects, with nothing
 * left on disk, as soon as the file passes its purpose's limit.
 */
function receive(req: IncomingMessage, media: MediaService, incoming: string, queryPurpose: MediaPurpose | undefined): Promise<Received> {
  return new Promise((resolve, reject) => {
    let purpose = queryPurpose;
    let file: Promise<ReceivedFile> | undefined;
    let name: string | null = null;
    let temp: string | undefined;
    let settled = false;
    const parser = busboy({
      headers: req.headers,
      // File names in UTF-8, as browsers send them (busboy's default reads them as Latin-1).
      defParamCharset: 'utf8',
      limits: { files: 1, fields: 4, fieldSize: 256, parts: 6, fileSize: media.largestUpload() + 1 },
    });
    let part: Readable | undefined;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      parser.removeAllListeners();
      parser.on('error', () => {});
      // The file being written ends here: its part is destroyed, so the pipeline ends and closes
      // the file (a client gone half-way would otherwise leave the part waiting for bytes that
      // never come, its file open and its blocks held until a restart). Once the pipeline has
      // settled (its file opened and closed), the part written so far goes, then the refusal is answered.
      part?.destroy();
      parser.destroy();
      const closed = file ? file.then(noop, noop) : Promise.resolve();
      void closed.then(() => (temp ? rm(temp, { force: true }) : undefined)).finally(() => reject(error));
    };

    parser.on('field', (field, value) => {
      if (field === 'purpose' && !queryPurpose) {
        try {
          purpose = purposeOf(value);
        } catch (error) {
          fail(error);
        }
      }
    });
    parser.on('file', (_field, stream, info) => {
      part = stream;
      if (!purpose) {
        stream.resume();
        fail(badInput([{ field: 'purpose', constraint: 'required', message: 'Say what the upload is for: purpose=photo, file, avatar or sticker, before the file.' }]));
        return;
      }
      const { limit, max } = media.sizeLimit(purpose);
      name = fileName(info.filename);
      temp = path.join(incoming, randomUUID());
      const hash = createHash('sha256');
      let bytes = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          if (bytes > max) return done(tooLarge(limit, max, `The upload is larger than ${megabytes(max)}, the limit for a ${purpose!.toLowerCase()}.`));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      const target = temp;
      file = pipeline(stream, meter, createWriteStream(target, { flags: 'wx' })).then(() => ({ path: target, bytes, sha256: hash.digest('hex') }));
      file.catch(fail);
    });
    parser.on('filesLimit', () => fail(badFile(400, MediaConstraint.oneFile, 'Send one file per upload.')));
    parser.on('partsLimit', () => fail(badRequest('The body has too many parts: send the purpose and one file.')));
    parser.on('fieldsLimit', () => fail(badRequest('The body has too many fields: send the purpose and one file.')));
    parser.on('error', () => fail(badRequest('The multipart body could not be read.')));
    parser.on('close', () => {
      if (!file) return fail(badFile(400, MediaConstraint.oneFile, 'The body holds no file: send it in a part named "file".'));
      file.then((received) => {
        if (settled) return;
        settled = true;
        resolve({ purpose: purpose!, file: received, name });
      }, fail);
    });
    req.on('aborted', () => fail(badRequest('The upload was aborted.')));
    req.pipe(parser);
  });
}

async function download(req: Request, res: Response, media: MediaService): Promise<void> {
  const id = String(req.params.id);
  const variant = String(req.params.variant) as MediaVariant;
  if (!isUuid(id) || !MEDIA_VARIANTS.includes(variant)) throw notFound('Media');
  const expires = Number(req.query.expires);
  const signature = typeof req.query.signature === 'string' ? req.query.signature : '';
  const verdict = Number.isSafeInteger(expires) ? media.verifyUrl(id, variant, expires, signature) : 'invalid';
  if (verdict === 'expired') throw new UploadRefused(403, ErrorCode.InvalidToken, 'This media link has expired: read the media again for a new one.', { reason: 'EXPIRED' });
  if (verdict === 'invalid') throw new UploadRefused(403, ErrorCode.InvalidToken, 'This media link is not valid.', { reason: 'INVALID_SIGNATURE' });
  const servable = await media.servable(id, variant);
  if (servable === 'deleted') throw new UploadRefused(410, ErrorCode.NotFound, 'This media was deleted.', { reason: 'DELETED' });
  if (!servable) throw notFound('Media');

  const file = servable.media.purpose === 'FILE';
  res.setHeader('Cache-Control', `private, max-age=${media.secondsLeft(expires)}, immutable`);
  res.setHeader('ETag', servable.etag);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // Nothing served here is a page: no script runs in it even if a browser were made to render it.
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Content-Type', servable.mime);
  res.setHeader('Content-Disposition', file ? `attachment; filename*=UTF-8''${encodeRFC5987(servable.media.name ?? 'file')}` : 'inline');
  if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === servable.etag)) {
    res.status(304).end();
    return;
  }
  let range: { start: number; end: number } | undefined;
  if (servable.bytes !== null) {
    res.setHeader('Accept-Ranges', 'bytes');
    const asked = rangeOf(req.headers.range, servable.bytes);
    if (asked === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${servable.bytes}`);
      throw new UploadRefused(416, ErrorCode.BadRequest, 'The range asked for lies outside the media.');
    }
    range = asked;
  }
  const body = await media.storage.read(servable.key, range);
  if (!body) throw notFound('Media');
  if (range && servable.bytes !== null) {
    res.status(206);
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${servable.bytes}`);
    res.setHeader('Content-Length', String(range.end - range.start + 1));
  } else if (servable.bytes !== null) {
    res.setHeader('Content-Length', String(servable.bytes));
  }
  await pipeline(body, res);
}

/** One range of `bytes=a-b`, `bytes=a-` or `bytes=-n`; undefined (the whole) for none or several. */
function rangeOf(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [start, end] =
    match[1] === '' ? [Math.max(0, size - Number(match[2])), size - 1] : [Number(match[1]), match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)];
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

function purposeOf(value: unknown): MediaPurpose | undefined {
  if (value === undefined) return undefined;
  const purpose = typeof value === 'string' ? PURPOSES[value.toLowerCase()] : undefined;
  if (!purpose) throw badInput([{ field: 'purpose', constraint: 'isIn', message: 'purpose must be photo, file, avatar or sticker.' }]);
  return purpose;
}

// Control characters, bidirectional overrides (a name that reads "photo_gpj.exe" as "photo_exe.jpg") and path separators.
const UNSAFE_NAME = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069/\\]/g;

/** The uploaded file's own name, without any folder, unsafe character or excess length; null when none is left. */
function fileName(raw: string | undefined): string | null {
  const base = (raw ?? '').split(/[/\\]/).at(-1) ?? '';
  const clean = base.replace(UNSAFE_NAME, '').trim().slice(0, 255);
  return clean && clean !== '.' && clean !== '..' ? clean : null;
}

function encodeRFC5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function megabytes(bytes: number): string {
  return bytes >= 1024 ** 2 ? `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KB`;
}

function answerOf(media: Media, service: MediaService): UploadAnswer {
  const { id, purpose, mime, bytes, width, height, name, placeholder } = media;
  return { id, purpose, mime, bytes, width, height, name, placeholder, ...service.mediaUrls(media) };
}

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.LimitExceeded]: 413,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.Unavailable]: 503,
};

/**
 * Answers a refusal (or a failure) as JSON. A body still arriving is cut off: the answer says
 * `Connection: close`, at most {@link DRAIN_BYTES} more are read and dropped (so the client can
 * read the answer before its connection goes), then the socket is closed.
 */
function refuse(req: Request, res: Response, thrown: unknown, logger: Logger): void {
  const error = thrown instanceof AppError ? thrown : toAppError(thrown);
  const code = String(error.extensions.code);
  if (code === ErrorCode.Internal) logger.error({ err: thrown, method: req.method, path: req.path }, 'unexpected error serving media');
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  const status = error instanceof UploadRefused ? error.status : (STATUS[code] ?? 500);
  const { http: _http, ...extensions } = error.extensions;
  if (code === ErrorCode.RateLimited || code === ErrorCode.Unavailable) res.setHeader('Retry-After', String(extensions.retryAfter ?? 1));
  const unread = !req.complete;
  if (unread) res.setHeader('Connection', 'close');
  res.status(status).json({ errors: [{ message: error.message, extensions }] });
  if (!unread) return;
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) req.socket.destroy();
  });
  req.resume();
  res.on('finish', () => setTimeout(() => req.socket.destroy(), 5_000).unref());
}
