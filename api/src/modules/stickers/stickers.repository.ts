/**
 * The sticker reads and writes: queries only, no rules (StickerService decides who may do
 * what). Through Prisma's client: none of these is on a hot path. The writes that must count
 * before they insert either hold the pack's row meanwhile or count in their own statement.
 */
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import type { Media, Prisma, Sticker, StickerPack } from '../../generated/prisma/client.js';

export type StickerWithMedia = Sticker & { media: Media };
export type PackWithStickers = StickerPack & { stickers: StickerWithMedia[] };

/** A pack's live stickers in their order, with their images. */
const LIVE_STICKERS = {
  stickers: { where: { deletedAt: null }, orderBy: [{ position: 'asc' }, { id: 'asc' }], include: { media: true } },
} satisfies Prisma.StickerPackInclude;

/** How many recently sent stickers are kept per person. */
export const RECENT_KEPT = 30;

export class StickerRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** A pack that is not deleted, with its live stickers. */
  pack(id: string): Promise<PackWithStickers | null> {
    return this.prisma.stickerPack.findFirst({ where: { id, deletedAt: null }, include: LIVE_STICKERS });
  }

  /** A pack that is not deleted, by its share slug, with its live stickers. */
  packBySlug(slug: string): Promise<PackWithStickers | null> {
    return this.prisma.stickerPack.findFirst({ where: { slug, deletedAt: null }, include: LIVE_STICKERS });
  }

  /** The built-in packs (oldest first), then the person's installed ones in their order, with live stickers. */
  async listOf(userId: string): Promise<PackWithStickers[]> {
    const [builtin, installed] = await Promise.all([
      this.prisma.stickerPack.findMany({ where: { ownerId: null, deletedAt: null }, orderBy: { createdAt: 'asc' }, include: LIVE_STICKERS }),
      this.prisma.installedStickerPack.findMany({
        where: { userId, pack: { deletedAt: null } },
        orderBy: [{ position: 'asc' }, { installedAt: 'asc' }],
        include: { pack: { include: LIVE_STICKERS } },
      }),
    ]);
    return [...builtin, ...installed.map((row) => row.pack)];
  }

  /** The packs a person made (not deleted), newest first. */
  ownedBy(ownerId: string): Promise<PackWithStickers[]> {
    return this.prisma.stickerPack.findMany({ where: { ownerId, deletedAt: null }, orderBy: { createdAt: 'desc' }, include: LIVE_STICKERS });
  }

  countOwnedBy(ownerId: string): Promise<number> {
    return this.prisma.stickerPack.count({ where: { ownerId, deletedAt: null } });
  }

  /** Of `packIds`, those in the person's list. */
  async installedOf(userId: string, packIds: string[]): Promise<Set<string>> {
    const rows = await this.prisma.installedStickerPack.findMany({ where: { userId, packId: { in: packIds } }, select: { packId: true } });
    return new Set(rows.map((row) => row.packId));
  }

  /** The person's installed packs' ids, in their order. */
  async installedIds(userId: string): Promise<string[]> {
    const rows = await this.prisma.installedStickerPack.findMany({
      where: { userId, pack: { deletedAt: null } },
      orderBy: [{ position: 'asc' }, { installedAt: 'asc' }],
      select: { packId: true },
    });
    return rows.map((row) => row.packId);
  }

  /**
   * Makes a pack and, unless the owner's list holds `maxInstalled` already, puts it at the end
   * of their list, in one transaction.
   */
  createPack(ownerId: string, title: string, slug: string, maxInstalled: number): Promise<{ pack: StickerPack; installed: boolean }> {
    return this.prisma.$transaction(async (tx) => {
      const pack = await tx.stickerPack.create({ data: { ownerId, title, slug } });
      const added = await tx.$executeRaw`
        INSERT INTO installed_sticker_packs (user_id, pack_id, position)
        SELECT ${ownerId}::uuid, ${pack.id}::uuid, coalesce(max(position), 0) + 1
        FROM installed_sticker_packs WHERE user_id = ${ownerId}::uuid
        HAVING count(*) < ${maxInstalled}`;
      return { pack, installed: added > 0 };
    });
  }

  rename(id: string, title: string): Promise<StickerPack> {
    return this.prisma.stickerPack.update({ where: { id }, data: { title } });
  }

  publish(id: string): Promise<StickerPack> {
    return this.prisma.stickerPack.update({ where: { id }, data: { publishedAt: new Date() } });
  }

  /** Deletes a pack for everyone: it leaves every list; its rows stay for the messages that show its stickers. */
  deletePack(id: string): Promise<void> {
    return this.prisma.$transaction(async (tx) => {
      await tx.stickerPack.update({ where: { id }, data: { deletedAt: new Date() } });
      await tx.installedStickerPack.deleteMany({ where: { packId: id } });
    });
  }

  /**
   * Adds a sticker at the end of a pack unless the pack holds `max` already; the pack's row is
   * locked meanwhile, so concurrent additions count each other.
   * @returns the sticker, or null when the pack is full
   */
  addSticker(packId: string, mediaId: string, emoji: string, max: number): Promise<StickerWithMedia | null> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM sticker_packs WHERE id = ${packId}::uuid FOR UPDATE`;
      const live = await tx.sticker.aggregate({ where: { packId, deletedAt: null }, _count: true, _max: { position: true } });
      if (live._count >= max) return null;
      return tx.sticker.create({ data: { packId, mediaId, emoji, position: (live._max.position ?? 0) + 1 }, include: { media: true } });
    });
  }

  /** A sticker that is not deleted, with its pack. */
  liveSticker(id: string): Promise<(Sticker & { pack: StickerPack }) | null> {
    return this.prisma.sticker.findFirst({ where: { id, deletedAt: null }, include: { pack: true } });
  }

  removeSticker(id: string): Promise<Sticker> {
    return this.prisma.sticker.update({ where: { id }, data: { deletedAt: new Date() } });
  }

  /** Gives the pack's stickers the positions of `stickerIds` (every live one, in their new order). */
  reorderStickers(packId: string, stickerIds: string[]): Promise<void> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`
        UPDATE stickers s SET position = o.position
        FROM unnest(${stickerIds}::uuid[]) WITH ORDINALITY AS o(id, position)
        WHERE s.id = o.id AND s.pack_id = ${packId}::uuid`;
    });
  }

  /**
   * Puts a pack at the end of the person's list unless it is there or the list holds `max`.
   * @returns whether it is in the list now
   */
  async install(userId: string, packId: string, max: number): Promise<boolean> {
    // One statement: the count and the insert see the same list.
    await this.prisma.$executeRaw`
      INSERT INTO installed_sticker_packs (user_id, pack_id, position)
      SELECT ${userId}::uuid, ${packId}::uuid, coalesce(max(position), 0) + 1
      FROM installed_sticker_packs WHERE user_id = ${userId}::uuid
      HAVING count(*) < ${max}
      ON CONFLICT DO NOTHING`;
    return (await this.installedOf(userId, [packId])).has(packId);
  }

  async uninstall(userId: string, packId: string): Promise<void> {
    await this.prisma.installedStickerPack.deleteMany({ where: { userId, packId } });
  }

  /** Gives the person's installed packs the positions of `packIds` (every one, in their new order). */
  async reorderInstalled(userId: string, packIds: string[]): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE installed_sticker_packs i SET position = o.position
      FROM unnest(${packIds}::uuid[]) WITH ORDINALITY AS o(id, position)
      WHERE i.pack_id = o.id AND i.user_id = ${userId}::uuid`;
  }

  /**
   * A sticker the person may send: live, in a pack that is not deleted and is built-in, in their
   * list, or their own. Null otherwise.
   */
  sendable(userId: string, stickerId: string): Promise<Sticker | null> {
    return this.prisma.sticker.findFirst({
      where: {
        id: stickerId,
        deletedAt: null,
        pack: { deletedAt: null, OR: [{ ownerId: null }, { ownerId: userId }, { installs: { some: { userId } } }] },
      },
    });
  }

  /** Notes that the person sent a sticker, keeping their latest {@link RECENT_KEPT}. */
  async used(userId: string, stickerId: string): Promise<void> {
    await this.prisma.$executeRaw`
      WITH noted AS (
        INSERT INTO recent_stickers (user_id, sticker_id, used_at) VALUES (${userId}::uuid, ${stickerId}::uuid, now())
        ON CONFLICT (user_id, sticker_id) DO UPDATE SET used_at = excluded.used_at
      )
      DELETE FROM recent_stickers WHERE user_id = ${userId}::uuid AND sticker_id IN (
        SELECT sticker_id FROM recent_stickers WHERE user_id = ${userId}::uuid ORDER BY used_at DESC OFFSET ${RECENT_KEPT - 1}
      ) AND sticker_id <> ${stickerId}::uuid`;
  }

  /** The stickers the person sent lately, latest first, that they may still send. */
  async recent(userId: string, take: number): Promise<StickerWithMedia[]> {
    const rows = await this.prisma.recentSticker.findMany({
      where: {
        userId,
        sticker: { deletedAt: null, pack: { deletedAt: null, OR: [{ ownerId: null }, { ownerId: userId }, { installs: { some: { userId } } }] } },
      },
      orderBy: { usedAt: 'desc' },
      take,
      include: { sticker: { include: { media: true } } },
    });
    return rows.map((row) => row.sticker);
  }

  /** Stickers by id with their images, deleted ones too (sent messages keep showing them). */
  stickersById(ids: string[]): Promise<StickerWithMedia[]> {
    return this.prisma.sticker.findMany({ where: { id: { in: ids } }, include: { media: true } });
  }

  /** A media row by id. */
  media(id: string): Promise<Media | null> {
    return this.prisma.media.findUnique({ where: { id } });
  }
}
