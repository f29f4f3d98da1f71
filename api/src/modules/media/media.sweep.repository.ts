/**
 * The sweep's queries (media.sweeper.ts has the order and the reasons): media rows nothing uses
 * any more, people's stickers gone from their packs and from every message, stored content no
 * media row refers to; and their deletion. Each deletion first locks the rows it found, then
 * checks them again in a statement of its own, which sees everything committed before the lock
 * was granted: a reference a writer was adding meanwhile (its foreign key holds a lock on the row)
 * is seen, and one added after waits for the deletion and then fails instead of pointing nowhere.
 */
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import { Prisma } from '../../generated/prisma/client.js';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type Queryable = Pick<PrismaClient, '$queryRaw'>;

/** Below every id: where a step's first batch starts. */
const NO_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Every column that refers to a media row but its owner's (media.owner_id says whose quota it
 * counts against, not that anything uses it). A new column that points at media must be added
 * here, or the sweep would delete media it uses: media-sweep.test.ts holds this list to the
 * database's foreign keys.
 */
export const MEDIA_REFERENCES: readonly { table: string; column: string }[] = [
  { table: 'message_attachments', column: 'media_id' },
  { table: 'users', column: 'avatar_id' },
  { table: 'conversations', column: 'avatar_id' },
  { table: 'stickers', column: 'media_id' },
  { table: 'messages', column: 'media_id' },
];

/** Whether media row `m` is used: referred to by anything, a message's attachment only while the message is not deleted for everyone. */
const USED = Prisma.raw(
  MEDIA_REFERENCES.map(({ table, column }) =>
    table === 'message_attachments'
      ? 'EXISTS (SELECT 1 FROM message_attachments a JOIN messages msg ON msg.id = a.message_id WHERE a.media_id = m.id AND msg.deleted_at IS NULL)'
      : `EXISTS (SELECT 1 FROM ${table} r WHERE r.${column} = m.id)`,
  ).join(' OR '),
);

/**
 * Whether media row `m` was in a message that is deleted for everyone: gone for good, whatever
 * its age, and no longer counted in its owner's quota (media.repository.ts's usedBytes).
 */
export const IN_DELETED_MESSAGE = Prisma.sql`EXISTS (SELECT 1 FROM message_attachments a JOIN messages msg ON msg.id = a.message_id WHERE a.media_id = m.id AND msg.deleted_at IS NOT NULL)`;

/** Whether stored content `c` is referred to by no media row (an upload still being stored has its row already). */
const UNREFERENCED = Prisma.sql`NOT EXISTS (SELECT 1 FROM media m WHERE m.storage_key = c.key) AND NOT EXISTS (SELECT 1 FROM media m WHERE m.thumbnail_key = c.key)`;

/** Whether sticker `s` of pack `p` is a person's, taken out of its pack (or its pack deleted), and in no message that shows it. */
const REMOVED_STICKER = Prisma.sql`p.owner_id IS NOT NULL AND (s.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM messages msg WHERE msg.sticker_id = s.id AND msg.deleted_at IS NULL)`;

/**
 * One batch of a sweep step: how many it found, what it deleted of them, and where the next
 * batch starts (candidates are found in key order, so a step reads its table once however many
 * batches it takes).
 */
export interface Batch<T> {
  found: number;
  deleted: T[];
  /** The last candidate's key: the next batch looks after it. */
  last: string | null;
}

export interface DeletedMedia {
  id: string;
  ownerId: string | null;
  bytes: number;
}

/**
 * Deletes the media rows of `ids` that nothing uses, whatever their age: what a writer let go of
 * on purpose (a replaced picture). Waits for writers adding a reference to any of them.
 */
export async function deleteIfUnused(tx: Tx, ids: readonly string[]): Promise<string[]> {
  await tx.$queryRaw`SELECT id FROM media WHERE id = ANY(${ids}::uuid[]) FOR UPDATE`;
  const deleted = await tx.$queryRaw<{ id: string }[]>`DELETE FROM media m WHERE m.id = ANY(${ids}::uuid[]) AND NOT (${USED}) RETURNING m.id`;
  return deleted.map((row) => row.id);
}

export class MediaSweepRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Deletes up to `limit` media rows nothing uses that were uploaded before `cutoff` (never sent,
   * a removed sticker's image, an upload whose storing failed and could not give its reservation
   * back), or were in a message deleted for everyone. Rows a writer is adding a reference to at
   * this moment are skipped (SKIP LOCKED), for the next sweep.
   */
  async deleteUnusedMedia(cutoff: Date, limit: number, after: string | null): Promise<Batch<DeletedMedia>> {
    const removable = Prisma.sql`NOT (${USED}) AND (m.created_at < ${cutoff}::timestamptz OR ${IN_DELETED_MESSAGE})`;
    const found = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT m.id FROM media m WHERE m.id > ${after ?? NO_UUID}::uuid AND ${removable} ORDER BY m.id LIMIT ${limit}`;
    if (found.length === 0) return { found: 0, deleted: [], last: null };
    const ids = found.map((row) => row.id);
    const deleted = await this.prisma.$transaction(async (tx) => {
      const locked = await lockedIds(tx, Prisma.sql`SELECT id FROM media WHERE id = ANY(${ids}::uuid[]) FOR UPDATE SKIP LOCKED`);
      if (locked.length === 0) return [];
      return tx.$queryRaw<{ id: string; owner_id: string | null; bytes: number }[]>`
        DELETE FROM media m WHERE m.id = ANY(${locked}::uuid[]) AND ${removable} RETURNING m.id, m.owner_id, m.bytes`;
    });
    return { found: found.length, deleted: deleted.map((row) => ({ id: row.id, ownerId: row.owner_id, bytes: row.bytes })), last: ids.at(-1)! };
  }

  /**
   * Deletes up to `limit` of people's stickers taken out of their packs (or in a deleted pack)
   * that no message shows (a message deleted for everyone shows none): their images are then
   * unused media. Built-in stickers stay: start-up brings their pack in line, and may bring one back.
   */
  async deleteRemovedStickers(limit: number, after: string | null): Promise<Batch<string>> {
    const found = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT s.id FROM stickers s JOIN sticker_packs p ON p.id = s.pack_id WHERE s.id > ${after ?? NO_UUID}::uuid AND ${REMOVED_STICKER} ORDER BY s.id LIMIT ${limit}`;
    if (found.length === 0) return { found: 0, deleted: [], last: null };
    const ids = found.map((row) => row.id);
    const deleted = await this.prisma.$transaction(async (tx) => {
      const locked = await lockedIds(tx, Prisma.sql`SELECT id FROM stickers WHERE id = ANY(${ids}::uuid[]) FOR UPDATE SKIP LOCKED`);
      if (locked.length === 0) return [];
      return tx.$queryRaw<{ id: string }[]>`
        DELETE FROM stickers s USING sticker_packs p WHERE p.id = s.pack_id AND s.id = ANY(${locked}::uuid[]) AND ${REMOVED_STICKER} RETURNING s.id`;
    });
    return { found: found.length, deleted: deleted.map((row) => row.id), last: ids.at(-1)! };
  }

  /**
   * Removes up to `limit` stored contents no media row refers to, last claimed before `cutoff`:
   * `remove` deletes them from the storage while their ledger rows are locked (a writer claiming
   * one of them waits), then the ledger rows go. A failed removal leaves the ledger as it was.
   */
  async reclaimContents(cutoff: Date, limit: number, after: string | null, remove: (keys: string[]) => Promise<void>): Promise<Batch<string>> {
    const unclaimed = Prisma.sql`c.claimed_at < ${cutoff}::timestamptz AND ${UNREFERENCED}`;
    const found = await this.prisma.$queryRaw<{ key: string }[]>`
      SELECT c.key FROM stored_contents c WHERE c.key > ${after ?? ''} AND ${unclaimed} ORDER BY c.key LIMIT ${limit}`;
    if (found.length === 0) return { found: 0, deleted: [], last: null };
    const keys = found.map((row) => row.key);
    const deleted = await this.prisma.$transaction(
      async (tx) => {
        const locked = (await tx.$queryRaw<{ key: string }[]>`SELECT key FROM stored_contents WHERE key = ANY(${keys}::text[]) FOR UPDATE SKIP LOCKED`).map((row) => row.key);
        if (locked.length === 0) return [];
        const gone = (await tx.$queryRaw<{ key: string }[]>`SELECT c.key FROM stored_contents c WHERE c.key = ANY(${locked}::text[]) AND ${unclaimed}`).map((row) => row.key);
        if (gone.length === 0) return [];
        await remove(gone);
        await tx.$executeRaw`DELETE FROM stored_contents WHERE key = ANY(${gone}::text[])`;
        return gone;
      },
      // Removing from object storage is a request per key: the batch may take a while.
      { timeout: 120_000 },
    );
    return { found: found.length, deleted, last: keys.at(-1)! };
  }
}

async function lockedIds(db: Queryable, query: Prisma.Sql): Promise<string[]> {
  return (await db.$queryRaw<{ id: string }[]>(query)).map((row) => row.id);
}
