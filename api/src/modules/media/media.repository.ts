/**
 * The media queries: no rules. MediaService decides who may upload, attach and read what.
 * All through Prisma's client (plain indexed reads and writes, off the messages' hot path),
 * but for the quota's lock and sums, which the client cannot express.
 */
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import type { Media, User } from '../../generated/prisma/client.js';
import type { MediaPurpose } from '../../generated/prisma/enums.js';
import { claimContents } from './media.contents.js';
import { deleteIfUnused, IN_DELETED_MESSAGE } from './media.sweep.repository.js';

/** A media row as a GET of it needs it: with whether the messages it is attached to are deleted. */
export interface ServedMedia {
  media: Media;
  /** Null when it is attached to no message (an avatar, a sticker, an upload not yet sent). */
  messageDeleted: boolean | null;
}

/** A media row as sending it in a message needs it. */
export interface AttachableMedia {
  id: string;
  /** Null for media that ship with the server (the built-in stickers). */
  ownerId: string | null;
  purpose: MediaPurpose;
  attached: boolean;
}

export type NewMedia = Omit<Media, 'id' | 'createdAt'>;

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export class MediaRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Bytes the account's quota counts: its media rows, but those of messages deleted for everyone
   * (they are gone for everyone at once; the sweep deletes their rows later). Uploads still being
   * stored count (their rows are their reservations), and so do unused ones until the sweep.
   */
  usedBytes(ownerId: string): Promise<number> {
    return usedBytes(this.prisma, ownerId);
  }

  /**
   * Reserves the room for an upload and claims its storage keys: inserts its media row unless
   * the owner's counted bytes would then pass `quotaBytes`. The owner's uploads are counted one at
   * a time (a transaction-scoped advisory lock on the owner), so two at once cannot both slip under
   * the quota. The content is stored after this commits (MediaService.store): a row that refers to
   * a key keeps the sweep from removing what is stored there.
   * @returns the row, or null when the quota would be passed (nothing is written then)
   */
  reserve(row: NewMedia, quotaBytes: number): Promise<Media | null> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`media-quota:${row.ownerId}`}, 0))`;
      if ((await usedBytes(tx, row.ownerId!)) + row.bytes > quotaBytes) return null;
      await claimContents(tx, [row.storageKey, ...(row.thumbnailKey ? [row.thumbnailKey] : [])]);
      return tx.media.create({ data: row });
    });
  }

  /** Gives a reservation back (its upload failed): the row goes; what was stored, the sweep removes. */
  async release(id: string): Promise<void> {
    await this.prisma.media.deleteMany({ where: { id } });
  }

  byId(id: string): Promise<Media | null> {
    return this.prisma.media.findUnique({ where: { id } });
  }

  /** A media row and the state of the message it is attached to, if any. */
  async served(id: string): Promise<ServedMedia | null> {
    const media = await this.prisma.media.findUnique({ where: { id }, include: { attachments: { select: { message: { select: { deletedAt: true } } } } } });
    if (!media) return null;
    const { attachments, ...row } = media;
    return { media: row, messageDeleted: attachments.length === 0 ? null : attachments.every((a) => a.message.deletedAt !== null) };
  }

  /** The rows of `ids` with whether each is attached to a message already (missing ids are left out). */
  async attachable(ids: readonly string[]): Promise<AttachableMedia[]> {
    const rows = await this.prisma.media.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, ownerId: true, purpose: true, attachments: { select: { messageId: true } } },
    });
    return rows.map(({ attachments, ...row }) => ({ ...row, attached: attachments.length > 0 }));
  }

  /**
   * Sets or clears a user's picture. The picture it replaces is deleted in the same transaction
   * unless something else still shows it (a group's picture made from the same upload): its
   * quota is given back at once, and the URLs others hold for it answer 410.
   */
  setUserAvatar(userId: string, avatarId: string | null): Promise<User> {
    return this.prisma.$transaction(async (tx: Tx) => {
      const [before] = await tx.$queryRaw<{ avatar_id: string | null }[]>`SELECT avatar_id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
      const user = await tx.user.update({ where: { id: userId }, data: { avatarId } });
      const replaced = before?.avatar_id;
      if (replaced && replaced !== avatarId) await deleteIfUnused(tx, [replaced]);
      return user;
    });
  }
}

/** See MediaRepository.usedBytes. */
async function usedBytes(db: Pick<PrismaClient, '$queryRaw'>, ownerId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ used: bigint }[]>`
    SELECT coalesce(sum(m.bytes), 0)::bigint AS used FROM media m
    WHERE m.owner_id = ${ownerId}::uuid AND NOT ${IN_DELETED_MESSAGE}`;
  return Number(row?.used ?? 0);
}
