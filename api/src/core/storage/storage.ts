/**
 * Where media are kept, behind one small interface: a folder on local disk by default
 * (`DATA_DIR/media`), or S3-compatible object storage when S3_BUCKET is set, so that
 * several API instances share what was uploaded. Content is stored under its own sha256
 * ({@link contentKey}): the same bytes are kept once, whoever uploads them how often.
 */
import type { Readable } from 'node:stream';
import path from 'node:path';
import type { S3Config } from '../../config/env.js';
import { LocalStorage } from './local.js';
import { S3Storage } from './s3.js';

/** What to store: bytes in memory, or a file on local disk (an upload already written out). */
export type StorageSource = { buffer: Buffer } | { path: string; bytes: number };

/** A byte range, both ends included (as HTTP's Range header counts them). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface MediaStorage {
  /** `local` or `s3`, for the log. */
  readonly kind: 'local' | 's3';
  /** Makes the folder or the bucket when it does not exist yet (at start-up). */
  prepare(): Promise<void>;
  /** Stores `source` under `key`, unless something is stored there already (keys name their content). */
  put(key: string, source: StorageSource, contentType: string): Promise<void>;
  /** The content under `key` (or one range of it); null when nothing is stored there. */
  read(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Whether something is stored under `key`. */
  has(key: string): Promise<boolean>;
  /** Removes what is under `key`; nothing there is not an error. */
  delete(key: string): Promise<void>;
}

/** The key of content whose SHA-256 is `sha256` (hex): fanned out over folders of 256. */
export function contentKey(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('contentKey takes a SHA-256 in lower-case hex');
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

/** Where uploads in progress wait, whatever the storage: on local disk under the data folder. */
export function incomingDir(dataDir: string): string {
  return path.join(dataDir, 'media', '.incoming');
}

/** The storage the configuration asks for: S3 when it is set, else `dataDir/media`. */
export function createStorage(config: { dataDir: string; media: { s3: S3Config | undefined } }): MediaStorage {
  return config.media.s3 ? new S3Storage(config.media.s3) : new LocalStorage(path.join(config.dataDir, 'media'));
}
