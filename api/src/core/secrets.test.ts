import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecretKey, Sealer } from './secrets.js';

describe('Sealer', () => {
  const secret = Buffer.alloc(32, 7);
  it('opens what it sealed, and nothing sealed for another purpose or changed at rest', () => {
    const totp = new Sealer(secret, 'totp');
    const sealed = totp.seal('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(totp.seal('JBSWY3DPEHPK3PXP')).not.toBe(sealed);
    expect(totp.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => new Sealer(secret, 'media').open(sealed)).toThrow();
    expect(() => new Sealer(Buffer.alloc(32, 8), 'totp').open(sealed)).toThrow();
    const [version, iv, tag, body] = sealed.split('.');
    const flipped = `${version}.${iv}.${tag}.${body!.slice(0, -2)}${body!.endsWith('A') ? 'B' : 'A'}${body!.slice(-1)}`;
    expect(() => totp.open(flipped)).toThrow();
  });

  it('refuses a shortened tag, which Node would check only as far as it goes', () => {
    const totp = new Sealer(secret, 'totp');
    const [version, iv, tag, body] = totp.seal('JBSWY3DPEHPK3PXP').split('.');
    for (const bytes of [4, 8, 12, 15]) {
      const short = Buffer.from(tag!, 'base64url').subarray(0, bytes).toString('base64url');
      expect(() => totp.open(`${version}.${iv}.${short}.${body}`)).toThrow('not a sealed value');
    }
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => new Sealer(Buffer.alloc(0), 'totp')).toThrow('32 bytes');
    expect(() => new Sealer(Buffer.alloc(31, 7), 'totp')).toThrow('32 bytes');
  });
});

async function withDataDir(work: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'dash-secret-'));
  try {
    await work(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

describe('loadSecretKey', () => {
  it('uses SECRET_KEY when set, else makes one in DATA_DIR once and keeps it private', async () => {
    await withDataDir(async (dataDir) => {
      const given = Buffer.alloc(32, 1);
      expect(await loadSecretKey({ secretKey: given, dataDir })).toBe(given);
      const made = await loadSecretKey({ secretKey: undefined, dataDir });
      expect(made).toHaveLength(32);
      expect(await loadSecretKey({ secretKey: undefined, dataDir })).toEqual(made);
      const file = path.join(dataDir, 'secret.key');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await readFile(file, 'utf8')).trim()).toBe(made.toString('base64'));
    });
  });

  it('refuses a key file left empty or cut short, naming it and what to do', async () => {
    await withDataDir(async (dataDir) => {
      const file = path.join(dataDir, 'secret.key');
      for (const content of ['', '\n', Buffer.alloc(31, 9).toString('base64'), Buffer.alloc(32, 9).toString('base64').slice(0, 20)]) {
        await writeFile(file, content, { mode: 0o600 });
        const loading = loadSecretKey({ secretKey: undefined, dataDir });
        await expect(loading).rejects.toThrow(file);
        await expect(loading).rejects.toThrow(/delete it.*restore it from a backup/);
      }
      await writeFile(file, `${Buffer.alloc(32, 9).toString('base64')}\n`, { mode: 0o600 });
      expect(await loadSecretKey({ secretKey: undefined, dataDir })).toEqual(Buffer.alloc(32, 9));
    });
  });

  it('gives processes starting at once the one key, whole, and leaves no other file', async () => {
    await withDataDir(async (dataDir) => {
      const keys = await Promise.all(Array.from({ length: 24 }, () => loadSecretKey({ secretKey: undefined, dataDir })));
      expect(keys[0]).toHaveLength(32);
      for (const key of keys) expect(key).toEqual(keys[0]);
      expect(await readdir(dataDir)).toEqual(['secret.key']);
      expect((await readFile(path.join(dataDir, 'secret.key'), 'utf8')).trim()).toBe(keys[0]!.toString('base64'));
    });
  });
});
