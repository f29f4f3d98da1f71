/**
 * Media: what may be uploaded by whom (purpose limits, the account's quota and rate), what it
 * becomes (media.processing.ts), where it is kept (core/storage), and who may have it: a
 * conversation's photos and files only through messages its members see, never after the
 * message is deleted for everyone; avatars and stickers to signed-in users.
 */
import type { MediaConfig } from '../../config/env.js';
import { badInput, limitExceeded } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Logger } from '../../core/logger.js';
import type { Limiter } from '../../core/rate-limit.js';
import type { MediaStorage } from '../../core/storage/storage.js';
import type { Media } from '../../generated/prisma/client.js';
import type { MediaPurpose } from '../../generated/prisma/enums.js';
import { mediaColumns, processUpload, putRenditions, type ReceivedFile } from './media.processing.js';
import type { MediaRepository } from './media.repository.js';
import type { MediaUrls, MediaUrlSet, MediaVariant } from './media.urls.js';

/** A rendition ready to be served. */
export interface Servable {
  media: Media;
  key: string;
  /** Known for the original (a range can be served); a thumbnail is sent whole. */
  bytes: number | null;
  mime: string;
  etag: string;
}

/** An avatar not found among the viewer's uploads; also when it is removed while it is being set (the sweep). */
export function avatarNotFound() {
  return badInput([{ field: 'mediaId', constraint: 'exists', message: 'Upload the image first: it was not found.' }]);
}

const LIMIT_NAMES: Record<MediaPurpose, 'photoBytes' | 'fileBytes' | 'avatarBytes' | 'stickerBytes'> = {
  PHOTO: 'photoBytes',
  FILE: 'fileBytes',
  AVATAR: 'avatarBytes',
  STICKER: 'stickerBytes',
};

export class MediaService {
  constructor(
    private readonly repository: MediaRepository,
    readonly storage: MediaStorage,
    private readonly urls: MediaUrls,
    private readonly uploadPerAccount: Limiter,
    private readonly config: MediaConfig,
    private readonly logger: Logger,
  ) {}

  /** The size limit of an upload for `purpose`, and its name as errors give it. */
  sizeLimit(purpose: MediaPurpose): { limit: string; max: number } {
    const limit = LIMIT_NAMES[purpose];
    return { limit, max: this.config.limits[limit] };
  }

  /** The largest upload any purpose takes: a body past it (and its multipart framing) is refused before it is read. */
  largestUpload(): number {
    return Math.max(...Object.values(LIMIT_NAMES).map((name) => this.config.limits[name]));
  }

  /**
   * Lets an upload begin: counts it against the account's rate, and refuses it when the
   * account's quota is already spent (or would be, by `declaredBytes`).
   */
  async admit(ownerId: string, declaredBytes = 0): Promise<void> {
    await this.uploadPerAccount.consume(ownerId);
    await this.requireRoom(ownerId, declaredBytes);
  }

  /**
   * Processes and stores a received upload; the row, with its URLs made by the caller. The room
   * is reserved first (the row, under the owner's lock), the content stored after, so uploads at
   * once cannot pass the quota together, and a refused one stores nothing.
   */
  async store(ownerId: string, purpose: MediaPurpose, file: ReceivedFile, name: string | null): Promise<Media> {
    const processed = await processUpload(purpose, file, { pixels: this.config.limits.photoPixels });
    const row = await this.repository.reserve({ ...mediaColumns(processed, purpose, ownerId), name: purpose === 'FILE' ? name : null }, this.config.quotaBytes);
    if (!row) throw this.quotaSpent();
    try {
      await putRenditions(this.storage, processed);
    } catch (error) {
      // The reservation goes (the quota is given back); what was stored before the failure, the sweep
      // removes. A reservation that cannot be given back now is an unused upload: the sweep removes it too.
      await this.repository.release(row.id).catch((releasing: unknown) => this.logger.warn({ err: releasing, mediaId: row.id }, 'could not give back a failed upload'));
      throw error;
    }
    this.logger.info({ mediaId: row.id, purpose, bytes: row.bytes, mime: row.mime }, 'stored an upload');
    return row;
  }

  /** The signed URLs of a media row's renditions (see media.urls.ts for who may be given them). */
  mediaUrls(media: Pick<Media, 'id' | 'thumbnailKey'>): MediaUrlSet {
    return this.urls.mediaUrls(media);
  }

  /** Checks a signed URL (media.urls.ts). */
  verifyUrl(mediaId: string, variant: MediaVariant, expires: number, signature: string) {
    return this.urls.verify(mediaId, variant, expires, signature);
  }

  /** Seconds a URL expiring at `expires` still works. */
  secondsLeft(expires: number): number {
    return this.urls.secondsLeft(expires);
  }

  /**
   * A rendition to serve for a URL whose signature held: 'deleted' when the media is gone (a
   * signed URL names media that was there when it was signed) or the message it was sent in was
   * deleted for everyone; null when the media has no such rendition.
   */
  async servable(mediaId: string, variant: MediaVariant): Promise<Servable | 'deleted' | null> {
    const found = isUuid(mediaId) ? await this.repository.served(mediaId) : null;
    if (!found || found.messageDeleted) return 'deleted';
    const { media } = found;
    if (variant === 'original') return { media, key: media.storageKey, bytes: media.bytes, mime: media.mime, etag: `"${media.sha256}"` };
    if (!media.thumbnailKey) return null;
    return { media, key: media.thumbnailKey, bytes: null, mime: 'image/webp', etag: `"${media.thumbnailKey.split('/').at(-1)}"` };
  }

  /** An avatar the viewer uploaded for that purpose; BAD_USER_INPUT on `mediaId` otherwise. */
  async avatar(ownerId: string, mediaId: string): Promise<Media> {
    const media = isUuid(mediaId) ? await this.repository.byId(mediaId) : null;
    if (!media || media.ownerId !== ownerId) throw avatarNotFound();
    if (media.purpose !== 'AVATAR') throw badInput([{ field: 'mediaId', constraint: 'purpose', message: 'Upload the image as an avatar (purpose=avatar).' }]);
    return media;
  }

  private async requireRoom(ownerId: string, bytes: number): Promise<void> {
    const used = await this.repository.usedBytes(ownerId);
    if (used + bytes > this.config.quotaBytes) throw this.quotaSpent();
  }

  private quotaSpent() {
    const max = this.config.quotaBytes;
    return limitExceeded('mediaQuota', max, `Your uploads would pass your ${Math.floor(max / 1024 ** 2)} MB of storage: ask the server's host for more.`);
  }
}

