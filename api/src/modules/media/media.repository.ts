/**
 * The media queries: no rules. MediaService decides who may upload, attach and read what.
 * All through Prisma's client (plain indexed reads and writes, off the messages' hot path),
 * but for the quota's lock, which the client cannot express.
 */
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import type { Media, User } from '../../generated/prisma/client.js';
import type { MediaPurpose } from '../../generated/prisma/enums.js';

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

export class MediaRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Bytes the account has stored, all purposes together. */
  async usedBytes(ownerId: string): Promise<number> {
    const { _sum } = await this.prisma.media.aggregate({ where: { ownerId }, _sum: { bytes: true } });
    return _sum.bytes ?? 0;
  }

  /**
   * Inserts a media row unless the owner's stored bytes would then pass `quotaBytes`: the
   * owner's uploads are counted one at a time (a transaction-scoped advisory lock on the owner),
   * so two finishing at once cannot both slip under the quota.
   * @returns the row, or null when the quota would be passed
   */
  create(row: NewMedia, quotaBytes: number): Promise<Media | null> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`media-quota:${row.ownerId}`}, 0))`;
      const { _sum } = await tx.media.aggregate({ where: { ownerId: row.ownerId }, _sum: { bytes: true } });
      if ((_sum.bytes ?? 0) + row.bytes > quotaBytes) return null;
      return tx.media.create({ data: row });
    });
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

  /** Sets or clears a user's picture. */
  setUserAvatar(userId: string, avatarId: string | null): Promise<User> {
    return this.prisma.user.update({ where: { id: userId }, data: { avatarId } });
  }
}
