/**
 * The server's secret and what is made from it. Each use gets its own key, derived with
 * HKDF from the one secret (SECRET_KEY, or a file in DATA_DIR when it is unset), so a key
 * leaked for one purpose says nothing of another. Values are sealed with AES-256-GCM: a
 * value changed at rest fails to open rather than opening to something else.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The server's secret: SECRET_KEY, or the one kept in `dataDir/secret.key` (made on first use). */
export async function loadSecretKey(config: { secretKey: Buffer | undefined; dataDir: string }): Promise<Buffer> {
  if (config.secretKey) return config.secretKey;
  const file = path.join(config.dataDir, 'secret.key');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  // 'wx': a second process starting at the same moment keeps the first one's key.
  await writeFile(file, `${key.toString('base64')}\n`, { flag: 'wx', mode: 0o600 }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await chmod(file, 0o600);
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
}

/** Seals and opens values with a key of their own, derived from the server's secret for `purpose`. */
export class Sealer {
  private readonly key: Buffer;

  constructor(secret: Buffer, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `dash:${purpose}`, 32));
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url. */
  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** The plaintext of a value {@link seal} made with the same secret and purpose; throws otherwise. */
  open(value: string): string {
    const [version, iv, tag, sealed] = value.split('.');
    if (version !== 'v1' || !iv || !tag || sealed === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  }
}
