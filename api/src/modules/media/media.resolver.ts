/**
 * The media's side of the schema: a message's attachments, a media row's signed URLs, and
 * the avatars of people and groups. Every one of these is reached through an operation that
 * already checked the viewer may see its owner (a message they see, a user, a conversation
 * they are in), so URLs are signed here without another check.
 */
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { requireViewer, type Context } from '../../app/context.js';
import type { Conversation as ConversationRow, Media as MediaRow, Membership, Message as MessageRow, User as UserRow } from '../../generated/prisma/client.js';
import { Conversation } from '../conversations/conversations.types.js';
import { asRemovedSaw } from '../conversations/conversations.resolver.js';
import { isRemoved } from '../conversations/visibility.js';
import { Message } from '../messages/messages.types.js';
import { User } from '../users/users.types.js';
import { Avatar, Media } from './media.types.js';

interface AvatarValue {
  id: string;
  small: string;
  large: string;
  placeholder: string | null;
}

/**
 * Whether the viewer is a member of the conversation now. A member removed by an admin may
 * keep reading the history they had (`removedSeq`, issue #15), but a conversation's media are
 * for its members only: they get no more URLs for it.
 */
function isCurrentMember(membership: Membership | null): boolean {
  return membership !== null && !isRemoved(membership);
}

function avatarOf(media: MediaRow | null, ctx: Context): AvatarValue | null {
  if (!media) return null;
  const { url, thumbnailUrl } = ctx.services.media.mediaUrls(media);
  return { id: media.id, large: url, small: thumbnailUrl ?? url, placeholder: media.placeholder };
}

@Resolver(() => Media)
export class MediaResolver {
  @FieldResolver(() => String, { description: 'Signed URL of the media as stored (a file downloads).' })
  url(@Root() media: MediaRow, @Ctx() ctx: Context): string {
    return ctx.services.media.mediaUrls(media).url;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Signed URL of an image\'s thumbnail (WebP, at most 480 px); null for files.' })
  thumbnailUrl(@Root() media: MediaRow, @Ctx() ctx: Context): string | null {
    return ctx.services.media.mediaUrls(media).thumbnailUrl;
  }
}

@Resolver(() => Message)
export class MessageAttachmentsResolver {
  @FieldResolver(() => [Media], {
    description: 'The photos of an IMAGE message, in order, or the file of a FILE message; empty for other kinds, once deleted, and for a member who was removed.',
  })
  async attachments(@Root() message: MessageRow, @Ctx() ctx: Context): Promise<MediaRow[]> {
    if (message.deletedAt || (message.kind !== 'IMAGE' && message.kind !== 'FILE')) return [];
    if (!isCurrentMember(await ctx.loaders.myMembership.load(message.conversationId))) return [];
    return ctx.loaders.attachments.load(message.id);
  }
}

@Resolver(() => User)
export class UserAvatarResolver {
  @FieldResolver(() => Avatar, { nullable: true, description: 'Their picture; null when they set none (show their initials).' })
  async avatar(@Root() user: Pick<UserRow, 'id'> & Partial<Pick<UserRow, 'avatarId'>>, @Ctx() ctx: Context): Promise<AvatarValue | null> {
    // An event's sender card carries no avatar id: the user's row is read (once per event, shared by its recipients).
    const avatarId = user.avatarId !== undefined ? user.avatarId : ((await ctx.loaders.user.load(user.id))?.avatarId ?? null);
    return avatarId ? avatarOf(await ctx.loaders.media.load(avatarId), ctx) : null;
  }

  @Authorized()
  @Mutation(() => User, { description: 'Sets the viewer\'s picture: an image uploaded with POST /media?purpose=avatar (cropped square there).' })
  setAvatar(@Arg('mediaId', () => ID) mediaId: string, @Ctx() ctx: Context): Promise<UserRow> {
    return ctx.services.avatars.setOwn(requireViewer(ctx), mediaId);
  }

  @Authorized()
  @Mutation(() => User, { description: "Removes the viewer's picture (their initials show instead)." })
  removeAvatar(@Ctx() ctx: Context): Promise<UserRow> {
    return ctx.services.avatars.setOwn(requireViewer(ctx), null);
  }
}

@Resolver(() => Conversation)
export class ConversationAvatarResolver {
  @FieldResolver(() => Avatar, { nullable: true, description: "A group's picture; null when it has none, and for direct conversations (show the other person's)." })
  async avatar(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<AvatarValue | null> {
    // One removed from the group keeps the picture it had then (none, if none was set by then).
    const saw = await asRemovedSaw(conversation, ctx);
    const avatarId = saw ? saw.avatarId : conversation.avatarId;
    return avatarId ? avatarOf(await ctx.loaders.media.load(avatarId), ctx) : null;
  }

  @Authorized()
  @Mutation(() => Conversation, { description: "Sets a group's picture (its admins and owner): an image uploaded with POST /media?purpose=avatar." })
  setGroupAvatar(@Arg('conversationId', () => ID) conversationId: string, @Arg('mediaId', () => ID) mediaId: string, @Ctx() ctx: Context): Promise<ConversationRow> {
    return ctx.services.avatars.setGroup(requireViewer(ctx), conversationId, mediaId);
  }

  @Authorized()
  @Mutation(() => Conversation, { description: "Removes a group's picture (its admins and owner)." })
  removeGroupAvatar(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: Context): Promise<ConversationRow> {
    return ctx.services.avatars.setGroup(requireViewer(ctx), conversationId, null);
  }
}
