/** Media in a folder on local disk: one file per key, written whole or not at all. */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, link, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { ByteRange, MediaStorage, StorageSource } from './storage.js';

export class LocalStorage implements MediaStorage {
  readonly kind = 'local';

  constructor(private readonly root: string) {}

  async prepare(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  async put(key: string, source: StorageSource): Promise<void> {
    const file = this.fileOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    // A hard link puts a finished upload in place at once (and fails, leaving the stored copy, when
    // the key exists); across file systems, or for bytes in memory, a private file renamed into place.
    if ('path' in source) {
      try {
        await link(source.path, file);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return;
        if (code !== 'EXDEV' && code !== 'EPERM') throw error;
      }
    }
    if (await this.has(key)) return;
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      if ('path' in source) await copyFile(source.path, temp);
      else await writeFile(temp, source.buffer, { flag: 'wx' });
      await rename(temp, file);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable | null> {
    const file = this.fileOf(key);
    if (!(await this.has(key))) return null;
    return createReadStream(file, range ? { start: range.start, end: range.end } : {});
  }

  async has(key: string): Promise<boolean> {
    try {
      return (await stat(this.fileOf(key))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.fileOf(key), { force: true });
  }

  /** The file of `key`, which never leaves the root (keys are ours, but a bad one must not reach elsewhere). */
  private fileOf(key: string): string {
    if (!/^[a-z0-9][a-z0-9/_-]*$/.test(key) || key.includes('//')) throw new Error(`not a storage key: ${key}`);
    return path.join(this.root, key);
  }
}
