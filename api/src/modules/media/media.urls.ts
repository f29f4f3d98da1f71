/**
 * Signed, short-lived media URLs: `<img src>` cannot send the session's bearer token, and a
 * token in a URL would land in logs and histories. A URL names one rendition of one media
 * row and when it expires, signed with HMAC-SHA256 under a key of its own derived from the
 * server's secret (every instance holds the same, so any instance serves any URL).
 *
 * Signing happens when a URL is read through the API, after the reader's right to the media
 * was checked (a conversation's members, signed-in users for avatars and stickers). A URL is
 * not bound to its reader: it is a capability for its lifetime, so that one event's result can
 * be shared by all its recipients. A member removed from a conversation gets no new URLs, and
 * those they hold die within two lifetimes (MEDIA_URL_TTL); a message deleted for everyone
 * takes its media with it at once (checked whenever a URL is served).
 *
 * Expiry is rounded up to a window of one lifetime, so the same media read twice in a window
 * gets the same URL and browsers cache it: a URL works between one and two lifetimes.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** A stored rendition: the media as stored, or its thumbnail (for an avatar: 512 px and 128 px). */
export type MediaVariant = 'original' | 'thumbnail';
export const MEDIA_VARIANTS: readonly MediaVariant[] = ['original', 'thumbnail'];

/** The fields of a media row that its URLs need. */
export interface MediaRef {
  id: string;
  thumbnailKey: string | null;
}

export interface MediaUrlSet {
  url: string;
  /** Null when the media has no thumbnail (a file). */
  thumbnailUrl: string | null;
}

/** The signing key for media URLs, derived from the server's secret for this one use. */
export function mediaUrlKey(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'dash:media-urls', 32));
}

/** The signature of one rendition's URL expiring at `expires` (seconds since the epoch). */
export function signature(key: Buffer, mediaId: string, variant: MediaVariant, expires: number): string {
  return createHmac('sha256', key).update(`${mediaId.toLowerCase()}\n${variant}\n${expires}`).digest('base64url');
}

/** The path of a signed URL; relative to the API's origin. */
export function signedPath(key: Buffer, mediaId: string, variant: MediaVariant, expires: number): string {
  return `/media/${mediaId}/${variant}?expires=${expires}&signature=${signature(key, mediaId, variant, expires)}`;
}

export type Verdict = 'valid' | 'expired' | 'invalid';

export class MediaUrls {
  private readonly key: Buffer;

  /**
   * @param ttlSeconds a URL's lifetime (MEDIA_URL_TTL)
   * @param now the clock, in milliseconds @default Date.now
   */
  constructor(
    secret: Buffer,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = mediaUrlKey(secret);
  }

  /**
   * The signed URLs of a media row's renditions. Only for a caller who was checked to be
   * allowed the media: a conversation's member for its photos and files, a signed-in user for
   * avatars and stickers (what the stickers feature shows is its own rule).
   */
  mediaUrls(media: MediaRef): MediaUrlSet {
    const expires = this.expiry();
    return {
      url: signedPath(this.key, media.id, 'original', expires),
      thumbnailUrl: media.thumbnailKey ? signedPath(this.key, media.id, 'thumbnail', expires) : null,
    };
  }

  /** Seconds since the epoch at which URLs made now expire: the end of the window after this one. */
  expiry(): number {
    const nowSeconds = Math.floor(this.now() / 1000);
    return (Math.floor(nowSeconds / this.ttlSeconds) + 2) * this.ttlSeconds;
  }

  /** Whether a URL's signature holds and its time has not passed. */
  verify(mediaId: string, variant: MediaVariant, expires: number, given: string): Verdict {
    const expected = Buffer.from(signature(this.key, mediaId, variant, expires));
    const actual = Buffer.from(given);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'invalid';
    return expires * 1000 > this.now() ? 'valid' : 'expired';
  }

  /** Seconds the URL expiring at `expires` still works: what a response may be cached for. */
  secondsLeft(expires: number): number {
    return Math.max(0, expires - Math.floor(this.now() / 1000));
  }
}
