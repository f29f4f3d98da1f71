/** Pictures of people (their own) and of groups (their admins and owner), from images uploaded as avatars. */
import type { Viewer } from '../../app/context.js';
import { foreignKeyViolated } from '../../core/errors.js';
import type { Conversation, User } from '../../generated/prisma/client.js';
import type { GroupService } from '../conversations/groups.service.js';
import type { ProfileChanges } from '../users/profile-changes.js';
import type { MediaRepository } from './media.repository.js';
import { avatarNotFound, type MediaService } from './media.service.js';

export class AvatarService {
  constructor(
    private readonly repository: Pick<MediaRepository, 'setUserAvatar'>,
    private readonly media: MediaService,
    private readonly groups: GroupService,
    private readonly profiles: Pick<ProfileChanges, 'changed'>,
  ) {}

  /** Sets the viewer's picture to an image they uploaded as an avatar, or clears it (null); those who show them see it at once. */
  async setOwn(viewer: Viewer, mediaId: string | null): Promise<User> {
    const avatarId = mediaId === null ? null : (await this.media.avatar(viewer.userId, mediaId)).id;
    const user = await this.repository.setUserAvatar(viewer.userId, avatarId).catch(goneAs('users'));
    await this.profiles.changed(user.id);
    return user;
  }

  /** Sets a group's picture (its admins and owner) to an image the viewer uploaded as an avatar, or clears it. */
  async setGroup(viewer: Viewer, conversationId: string, mediaId: string | null): Promise<Conversation> {
    const avatarId = mediaId === null ? null : (await this.media.avatar(viewer.userId, mediaId)).id;
    return this.groups.setAvatar(viewer, conversationId, avatarId).catch(goneAs('conversations'));
  }
}

/**
 * An upload left unused for MEDIA_UNUSED_AFTER may be removed by the sweep between the check
 * and the write: the write then fails on its foreign key, and is answered as the check would.
 */
function goneAs(table: 'users' | 'conversations') {
  return (error: unknown): never => {
    throw foreignKeyViolated(error, table, 'avatar_id') ? avatarNotFound() : error;
  };
}
