/**
 * The server's secret and what is made from it. Each use gets its own key, derived with
 * HKDF from the one secret (SECRET_KEY, or a file in DATA_DIR when it is unset), so a key
 * leaked for one purpose says nothing of another. Values are sealed with AES-256-GCM: a
 * value changed at rest fails to open rather than opening to something else.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** The shortest secret accepted, in bytes: AES-256's key size, and HKDF's input must be no weaker. */
export const SECRET_MIN_BYTES = 32;
/** GCM's full tag. A shorter one is refused: Node would check only its bytes, and 4 are guessed in 2³² tries. */
const TAG_BYTES = 16;

/**
 * The server's secret: SECRET_KEY, or the one kept in `dataDir/secret.key` (made on first use).
 * Throws, naming the file, when the file holds fewer than {@link SECRET_MIN_BYTES}: an empty or
 * cut-short file would otherwise give a key anyone can derive.
 */
export async function loadSecretKey(config: { secretKey: Buffer | undefined; dataDir: string }): Promise<Buffer> {
  if (config.secretKey) return config.secretKey;
  const file = path.join(config.dataDir, 'secret.key');
  const kept = await readSecretFile(file);
  if (kept) return kept;
  await mkdir(config.dataDir, { recursive: true });
  await createSecretFile(file);
  // Whether ours or that of a process that got there first: the file now holds the one key.
  const made = await readSecretFile(file);
  if (!made) throw new Error(`${file} vanished while it was being created`);
  return made;
}

/** The key in `file`; undefined when there is no file. */
async function readSecretFile(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length < SECRET_MIN_BYTES) {
    throw new Error(
      `${file} holds ${key.length} bytes of key, not the ${SECRET_MIN_BYTES} or more it must (empty or cut short?). ` +
        'If nothing was sealed with it yet (no two-factor sign-in set up), delete it and start again to make a new one; ' +
        'otherwise restore it from a backup, or set SECRET_KEY to the key it held.',
    );
  }
  return key;
}

/**
 * Writes a new key to `file` whole or not at all: into a private file of its own beside it,
 * flushed to disk, then linked into place. `link` fails when `file` exists, like the `wx`
 * flag, so of processes starting at once exactly one key is kept, and no reader ever sees a
 * file half written (or left empty by a crash or a full disk).
 */
async function createSecretFile(file: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.chmod(0o600);
      await handle.writeFile(`${randomBytes(SECRET_MIN_BYTES).toString('base64')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temp, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } finally {
    // A full disk must not leave a part-written key lying beside the real one.
    await rm(temp, { force: true });
  }
  const folder = await open(path.dirname(file), 'r');
  try {
    // The link itself must outlive a crash, or a restart would make a second key.
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** Seals and opens values with a key of their own, derived from the server's secret for `purpose`. */
export class Sealer {
  private readonly key: Buffer;

  constructor(secret: Buffer, purpose: string) {
    if (secret.length < SECRET_MIN_BYTES) throw new Error(`the secret must be ${SECRET_MIN_BYTES} bytes or more`);
    this.key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `dash:${purpose}`, 32));
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url. */
  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /** The plaintext of a value {@link seal} made with the same secret and purpose; throws otherwise. */
  open(value: string): string {
    const [version, iv, tag, sealed] = value.split('.');
    if (version !== 'v1' || !iv || !tag || sealed === undefined) throw new Error('not a sealed value');
    const authTag = Buffer.from(tag, 'base64url');
    if (authTag.length !== TAG_BYTES) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(authTag);
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  }
}
