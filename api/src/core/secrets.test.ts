import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
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
});

describe('loadSecretKey', () => {
  it('uses SECRET_KEY when set, else makes one in DATA_DIR once and keeps it private', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'dash-secret-'));
    try {
      const given = Buffer.alloc(32, 1);
      expect(await loadSecretKey({ secretKey: given, dataDir })).toBe(given);
      const made = await loadSecretKey({ secretKey: undefined, dataDir });
      expect(made).toHaveLength(32);
      expect(await loadSecretKey({ secretKey: undefined, dataDir })).toEqual(made);
      const file = path.join(dataDir, 'secret.key');
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await readFile(file, 'utf8')).trim()).toBe(made.toString('base64'));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
