/**
 * Sticker packs: the built-in ones (in everyone's list, see builtin-pack.ts) and the ones people
 * make from their own uploads. A pack is its owner's to change; once published, anyone signed in
 * who has its link (/stickers/<slug>) may preview it and add it to their list. Deleting a pack
 * takes it out of every list and its link; messages that carry its stickers keep showing them.
 *
 * What another person may not see is answered exactly like what does not exist (NOT_FOUND).
 */
import { randomBytes } from 'node:crypto';
import type { Viewer } from '../../app/context.js';
import type { Logger } from '../../core/logger.js';
import { badInput, foreignKeyViolated, forbidden, limitExceeded, notFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Sticker, StickerPack } from '../../generated/prisma/client.js';
import type { PackWithStickers, StickerRepository, StickerWithMedia } from './stickers.repository.js';

/** The bounds of sticker packs, each reported as LIMIT_EXCEEDED with its name. */
export const STICKER_LIMITS = {
  /** Live stickers in one pack. */
  stickersPerPack: 120,
  /** Packs one person has made and not deleted. */
  packsPerOwner: 50,
  /** Packs in one person's list, besides the built-in ones. */
  installedPacks: 100,
} as const;

export const TITLE_MAX = 64;

/** A pack as one viewer sees it. */
export interface PackView {
  pack: StickerPack;
  stickers: StickerWithMedia[];
  /** In the viewer's list (built-in packs always are). */
  installed: boolean;
  mine: boolean;
}

const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

/**
 * One emoji, as a sticker's keyword: trimmed, with the emoji presentation selector added to a
 * character that needs it (❤ → ❤️). BAD_USER_INPUT on `emoji` otherwise.
 */
export function normalizeEmoji(text: string): string {
  const trimmed = text.trim();
  for (const candidate of [trimmed, `${trimmed}\u{FE0F}`]) {
    if (RGI_EMOJI.test(candidate)) return candidate;
  }
  throw badInput([{ field: 'emoji', constraint: 'isEmoji', message: 'A sticker\'s keyword is one emoji.' }]);
}

/** A pack title, trimmed; BAD_USER_INPUT when nothing is left. */
function normalizeTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed) throw badInput([{ field: 'title', constraint: 'isLength', message: `A title is 1–${TITLE_MAX} characters long.` }]);
  return trimmed;
}

/** A share slug: 72 random bits in 12 URL-safe characters. */
function newSlug(): string {
  return randomBytes(9).toString('base64url');
}

/** The slugs the service hands out, and the built-in packs' names. */
const SLUG_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** A permutation of `expected` (every one once, nothing else), or BAD_USER_INPUT on `field`. */
function requirePermutation(given: string[], expected: string[], field: string): string[] {
  const lower = given.map((id) => id.toLowerCase());
  const wanted = new Set(expected);
  if (lower.length !== wanted.size || new Set(lower).size !== lower.length || !lower.every((id) => wanted.has(id))) {
    throw badInput([{ field, constraint: 'permutation', message: `${field} must list every one of them once, in the new order.` }]);
  }
  return lower;
}

export class StickerService {
  constructor(
    private readonly repository: StickerRepository,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** The viewer's list: built-in packs first, then theirs in their order. */
  async installed(viewer: Viewer): Promise<PackView[]> {
    const packs = await this.repository.listOf(viewer.userId);
    return packs.map((pack) => this.view(viewer, pack, true));
  }

  /** The packs the viewer made, published or not, newest first. */
  async own(viewer: Viewer): Promise<PackView[]> {
    const packs = await this.repository.ownedBy(viewer.userId);
    const installed = await this.repository.installedOf(viewer.userId, packs.map((pack) => pack.id));
    return packs.map((pack) => this.view(viewer, pack, installed.has(pack.id)));
  }

  /** A pack by its share slug: a built-in or published pack, or the viewer's own; NOT_FOUND otherwise. */
  async bySlug(viewer: Viewer, slug: string): Promise<PackView> {
    const pack = SLUG_PATTERN.test(slug) ? await this.repository.packBySlug(slug) : null;
    if (!pack || !this.visible(viewer, pack)) throw notFound('Sticker pack');
    return this.view(viewer, pack, await this.isInstalled(viewer, pack));
  }

  /** The stickers the viewer sent lately, latest first, that they may still send. */
  recent(viewer: Viewer, first: number): Promise<StickerWithMedia[]> {
    return this.repository.recent(viewer.userId, first);
  }

  /** A new, unpublished pack, put at the end of its maker's list (when that list has room: it is theirs either way). */
  async create(viewer: Viewer, title: string): Promise<PackView> {
    const clean = normalizeTitle(title);
    if ((await this.repository.countOwnedBy(viewer.userId)) >= STICKER_LIMITS.packsPerOwner) {
      throw limitExceeded('packsPerOwner', STICKER_LIMITS.packsPerOwner, `You can have at most ${STICKER_LIMITS.packsPerOwner} sticker packs.`);
    }
    const { pack, installed } = await this.repository.createPack(viewer.userId, clean, newSlug(), STICKER_LIMITS.installedPacks);
    return { pack, stickers: [], installed, mine: true };
  }

  async rename(viewer: Viewer, packId: string, title: string): Promise<PackView> {
    const clean = normalizeTitle(title);
    const pack = await this.ownPack(viewer, packId);
    if (pack.title !== clean) pack.title = (await this.repository.rename(pack.id, clean)).title;
    return this.viewOfOwn(viewer, pack);
  }

  /** Publishes a pack: anyone signed in with its link may then preview and add it. It needs a sticker. */
  async publish(viewer: Viewer, packId: string): Promise<PackView> {
    const pack = await this.ownPack(viewer, packId);
    if (pack.stickers.length === 0) {
      throw badInput([{ field: 'packId', constraint: 'notEmpty', message: 'Add a sticker before publishing the pack.' }]);
    }
    if (!pack.publishedAt) pack.publishedAt = (await this.repository.publish(pack.id)).publishedAt;
    return this.viewOfOwn(viewer, pack);
  }

  /** Deletes the viewer's pack for everyone (see the module's note). */
  async delete(viewer: Viewer, packId: string): Promise<void> {
    const pack = await this.ownPack(viewer, packId);
    await this.repository.deletePack(pack.id);
  }

  /**
   * Adds a sticker made from one of the viewer's uploads (media of purpose STICKER, already a
   * 512 px WebP) at the end of their pack.
   */
  async addSticker(viewer: Viewer, input: { packId: string; mediaId: string; emoji: string }): Promise<StickerWithMedia> {
    const emoji = normalizeEmoji(input.emoji);
    const pack = await this.ownPack(viewer, input.packId);
    const notAnUpload = () => badInput([{ field: 'mediaId', constraint: 'stickerUpload', message: 'mediaId must name one of your uploads made as a sticker.' }]);
    const media = isUuid(input.mediaId) ? await this.repository.media(input.mediaId) : null;
    if (!media || media.ownerId !== viewer.userId || media.purpose !== 'STICKER') throw notAnUpload();
    // The sweep may remove an upload left unused too long between the check and the write: answered as the check would.
    const sticker = await this.repository.addSticker(pack.id, media.id, emoji, STICKER_LIMITS.stickersPerPack).catch((error: unknown) => {
      throw foreignKeyViolated(error, 'stickers', 'media_id') ? notAnUpload() : error;
    });
    if (!sticker) {
      throw limitExceeded('stickersPerPack', STICKER_LIMITS.stickersPerPack, `A pack holds at most ${STICKER_LIMITS.stickersPerPack} stickers.`);
    }
    return sticker;
  }

  /** Takes a sticker out of the viewer's pack; messages that carry it keep showing it. */
  async removeSticker(viewer: Viewer, stickerId: string): Promise<PackView> {
    const sticker = isUuid(stickerId) ? await this.repository.liveSticker(stickerId) : null;
    if (!sticker || sticker.pack.deletedAt || !this.visible(viewer, sticker.pack)) throw notFound('Sticker');
    const pack = await this.ownPack(viewer, sticker.packId);
    await this.repository.removeSticker(sticker.id);
    return this.viewOfOwn(viewer, { ...pack, stickers: pack.stickers.filter((s) => s.id !== sticker.id) });
  }

  /** Puts the stickers of the viewer's pack in a new order: `stickerIds` lists every one of them. */
  async reorderStickers(viewer: Viewer, packId: string, stickerIds: string[]): Promise<PackView> {
    const pack = await this.ownPack(viewer, packId);
    const order = requirePermutation(stickerIds, pack.stickers.map((s) => s.id), 'stickerIds');
    await this.repository.reorderStickers(pack.id, order);
    const byId = new Map(pack.stickers.map((s) => [s.id, s]));
    return this.viewOfOwn(viewer, { ...pack, stickers: order.map((id, i) => ({ ...byId.get(id)!, position: i + 1 })) });
  }

  /** Adds a pack the viewer may see to the end of their list; adding it again changes nothing. */
  async install(viewer: Viewer, packId: string): Promise<PackView> {
    const pack = await this.visiblePack(viewer, packId);
    if (pack.ownerId !== null && !(await this.repository.install(viewer.userId, pack.id, STICKER_LIMITS.installedPacks))) {
      throw limitExceeded('installedPacks', STICKER_LIMITS.installedPacks, `Your list holds at most ${STICKER_LIMITS.installedPacks} sticker packs.`);
    }
    return this.view(viewer, pack, true);
  }

  /** Takes a pack out of the viewer's list (not out of anyone else's). Built-in packs stay in every list. */
  async uninstall(viewer: Viewer, packId: string): Promise<void> {
    const pack = isUuid(packId) ? await this.repository.pack(packId) : null;
    if (pack?.ownerId === null) {
      throw badInput([{ field: 'packId', constraint: 'notBuiltin', message: 'The built-in packs stay in every list.' }]);
    }
    if (pack) await this.repository.uninstall(viewer.userId, pack.id);
  }

  /** Puts the viewer's installed packs in a new order: `packIds` lists every one of them (built-in packs stay first). */
  async reorderInstalled(viewer: Viewer, packIds: string[]): Promise<PackView[]> {
    const order = requirePermutation(packIds, await this.repository.installedIds(viewer.userId), 'packIds');
    await this.repository.reorderInstalled(viewer.userId, order);
    return this.installed(viewer);
  }

  /**
   * The sticker a send names, if the sender may send it (see StickerRepository.sendable);
   * BAD_USER_INPUT on `stickerId` otherwise, the same for a sticker that does not exist.
   */
  async sendable(viewer: Viewer, stickerId: string): Promise<Sticker> {
    const sticker = isUuid(stickerId) ? await this.repository.sendable(viewer.userId, stickerId) : null;
    if (!sticker) {
      throw badInput([{ field: 'stickerId', constraint: 'inYourPacks', message: 'That sticker is not in your sticker packs.' }]);
    }
    return sticker;
  }

  /**
   * Notes a sent sticker for the viewer's "recently used". A convenience after the send is
   * committed, so it never fails: what went wrong is logged, and the list misses this one.
   */
  async used(viewer: Viewer, stickerId: string): Promise<void> {
    try {
      await this.repository.used(viewer.userId, stickerId);
    } catch (error) {
      this.logger.warn({ err: error, userId: viewer.userId, stickerId }, 'a sent sticker was not noted as recently used');
    }
  }

  /** Whether the viewer may see the pack: built-in, published, or theirs. */
  private visible(viewer: Viewer, pack: StickerPack): boolean {
    return pack.ownerId === null || pack.ownerId === viewer.userId || pack.publishedAt !== null;
  }

  private async visiblePack(viewer: Viewer, packId: string): Promise<PackWithStickers> {
    const pack = isUuid(packId) ? await this.repository.pack(packId) : null;
    if (!pack || !this.visible(viewer, pack)) throw notFound('Sticker pack');
    return pack;
  }

  /** The viewer's own pack: NOT_FOUND when they may not see it, FORBIDDEN when they see it and it is not theirs. */
  private async ownPack(viewer: Viewer, packId: string): Promise<PackWithStickers> {
    const pack = await this.visiblePack(viewer, packId);
    if (pack.ownerId !== viewer.userId) throw forbidden('Only its owner can change a sticker pack.');
    return pack;
  }

  private async isInstalled(viewer: Viewer, pack: StickerPack): Promise<boolean> {
    return pack.ownerId === null || (await this.repository.installedOf(viewer.userId, [pack.id])).has(pack.id);
  }

  private async viewOfOwn(viewer: Viewer, pack: PackWithStickers): Promise<PackView> {
    return this.view(viewer, pack, await this.isInstalled(viewer, pack));
  }

  private view(viewer: Viewer, pack: PackWithStickers, installed: boolean): PackView {
    const { stickers, ...row } = pack;
    return { pack: row, stickers, installed, mine: row.ownerId === viewer.userId };
  }
}
