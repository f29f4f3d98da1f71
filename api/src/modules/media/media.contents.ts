/**
 * The ledger of stored content (`stored_contents`): every storage key content was stored under.
 * Content is kept under its sha256, so one stored object may be shared by many media rows and
 * outlive any of them; the ledger is how the sweep (media.sweeper.ts) finds the objects no row
 * refers to any more, however their rows went (a deleted account's uploads go with it).
 *
 * A writer claims a key before it stores content there. Claiming takes the key's ledger row lock
 * (an upsert), the same lock the sweep holds while it removes content, so the two never overlap
 * on one key: a claim made while the sweep removes the content waits, then finds the row gone and
 * makes it anew, and its writer stores the content again. See media.sweeper.ts for why that is
 * enough whichever order a writer stores content and inserts its row in.
 */
import type { Readable } from 'node:stream';
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import type { ByteRange, MediaStorage, StorageSource } from '../../core/storage/storage.js';

/** A client or an interactive transaction: claims run in either. */
type Queryable = Pick<PrismaClient, '$executeRaw'>;

/**
 * Claims storage keys for content about to be stored: a ledger row each, its claim time set to
 * now. In sorted order, so two writers claiming the same keys never wait on each other in a circle.
 */
export async function claimContents(db: Queryable, keys: readonly string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return;
  // DO UPDATE, not DO NOTHING: only an update takes the row's lock when the row is there.
  await db.$executeRaw`
    INSERT INTO stored_contents (key, claimed_at)
    SELECT key, now() FROM unnest(${sorted}::text[]) WITH ORDINALITY AS k(key, n) ORDER BY n
    ON CONFLICT (key) DO UPDATE SET claimed_at = now()`;
}

/**
 * A storage whose writes claim their key first: for writers that store content and insert the
 * media row afterwards (our drawings, the built-in stickers, the demo data). The sweep leaves
 * content alone for MEDIA_UNUSED_AFTER after its claim, which is their time to insert the row.
 * Uploads claim in the transaction that inserts their row instead (MediaRepository.reserve).
 */
export class ClaimingStorage implements MediaStorage {
  constructor(
    private readonly storage: MediaStorage,
    private readonly db: Queryable,
  ) {}

  get kind() {
    return this.storage.kind;
  }

  prepare(): Promise<void> {
    return this.storage.prepare();
  }

  async put(key: string, source: StorageSource, contentType: string): Promise<void> {
    await claimContents(this.db, [key]);
    await this.storage.put(key, source, contentType);
  }

  read(key: string, range?: ByteRange): Promise<Readable | null> {
    return this.storage.read(key, range);
  }

  has(key: string): Promise<boolean> {
    return this.storage.has(key);
  }

  delete(key: string): Promise<void> {
    return this.storage.delete(key);
  }
}
