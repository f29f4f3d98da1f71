/**
 * The rule for media in a message: photos (1 to {@link MAX_PHOTOS}) or one file, each
 * uploaded by the sender for that purpose and not sent before. The database holds the last
 * part too (each media row is attached once: a unique key), for sends that race.
 */
import { badInput } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { MediaRepository } from './media.repository.js';

/** Photos in one message at most. */
export const MAX_PHOTOS = 10;

/** A send's media not found among the sender's uploads; also when one of them is removed while it is sent (the sweep). */
export function uploadsNotFound() {
  return badInput([{ field: 'mediaIds', constraint: 'exists', message: 'Upload the media first: some of it was not found.' }]);
}

/** What a message with media holds, as the change log takes it (with its caption). */
export type MediaContent = { kind: 'IMAGE'; mediaIds: string[] } | { kind: 'FILE'; mediaIds: [string] };

export class MediaAttachments {
  constructor(private readonly repository: Pick<MediaRepository, 'attachable'>) {}

  /**
   * What a message with `mediaIds` holds; BAD_USER_INPUT on `mediaIds` when they break the rule.
   * Media of anyone else is "not found", so an id says nothing about someone else's uploads.
   */
  async messageContent(senderId: string, mediaIds: string[]): Promise<MediaContent> {
    const problem = (constraint: string, message: string) => badInput([{ field: 'mediaIds', constraint, message }]);
    if (new Set(mediaIds.map((id) => id.toLowerCase())).size !== mediaIds.length) throw problem('unique', 'The same media is given twice.');
    if (mediaIds.length > MAX_PHOTOS) throw problem('maxSize', `A message holds at most ${MAX_PHOTOS} photos.`);
    const found = mediaIds.every(isUuid) ? await this.repository.attachable(mediaIds) : [];
    const byId = new Map(found.filter((m) => m.ownerId === senderId).map((m) => [m.id, m]));
    const rows = mediaIds.map((id) => byId.get(id.toLowerCase()));
    if (rows.some((row) => !row)) throw uploadsNotFound();
    if (rows.some((row) => row!.attached)) throw problem('unsent', 'This media was sent in a message already: upload it again.');
    const purposes = new Set(rows.map((row) => row!.purpose));
    const ids = rows.map((row) => row!.id);
    if (purposes.size === 1 && purposes.has('PHOTO')) return { kind: 'IMAGE', mediaIds: ids };
    if (purposes.size === 1 && purposes.has('FILE')) {
      if (ids.length > 1) throw problem('maxSize', 'A message holds one file.');
      return { kind: 'FILE', mediaIds: [ids[0]!] };
    }
    throw problem('purpose', 'A message holds photos (uploaded as photo) or one file (uploaded as file), not other media.');
  }
}
