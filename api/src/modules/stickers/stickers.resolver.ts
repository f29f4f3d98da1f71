import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireViewer, type Context } from '../../app/context.js';
import type { Message as MessageRow, User as UserRow } from '../../generated/prisma/client.js';
import { Message } from '../messages/messages.types.js';
import { User } from '../users/users.types.js';
import {
  AddStickerInput, CreateStickerPackArgs, RecentStickersArgs, RenameStickerPackArgs, ReorderStickerPacksArgs, ReorderStickersArgs, StickerPackBySlugArgs,
} from './stickers.inputs.js';
import type { StickerWithMedia } from './stickers.repository.js';
import type { PackView } from './stickers.service.js';
import { Sticker, StickerPack } from './stickers.types.js';

/** A pack as the schema shows it. */
function toPack({ pack, stickers, installed, mine }: PackView): StickerPack {
  return {
    id: pack.id,
    title: pack.title,
    slug: pack.slug,
    builtin: pack.ownerId === null,
    published: pack.ownerId === null || pack.publishedAt !== null,
    mine,
    installed,
    stickers,
    stickerCount: stickers.length,
    createdAt: pack.createdAt,
    ownerId: pack.ownerId,
  };
}

// Every query and mutation requires a session. A sticker's fields are reached only through them
// or through a message the viewer sees, and each way in decides which stickers it hands out.
@Resolver(() => StickerPack)
export class StickerPackResolver {
  @Authorized()
  @Query(() => [StickerPack], { description: "The viewer's sticker list: the built-in packs first, then theirs in their order." })
  async stickerPacks(@Ctx() ctx: Context): Promise<StickerPack[]> {
    return (await ctx.services.stickers.installed(requireViewer(ctx))).map(toPack);
  }

  @Authorized()
  @Query(() => [StickerPack], { description: 'The packs the viewer made, published or not, newest first.' })
  async myStickerPacks(@Ctx() ctx: Context): Promise<StickerPack[]> {
    return (await ctx.services.stickers.own(requireViewer(ctx))).map(toPack);
  }

  @Authorized()
  @Query(() => StickerPack, { description: "A pack by its share link's slug, to preview it: a built-in or published pack, or the viewer's own (NOT_FOUND otherwise)." })
  async stickerPack(@Args(() => StickerPackBySlugArgs) { slug }: StickerPackBySlugArgs, @Ctx() ctx: Context): Promise<StickerPack> {
    return toPack(await ctx.services.stickers.bySlug(requireViewer(ctx), slug));
  }

  @Authorized()
  @Mutation(() => StickerPack, { description: "Makes a pack (unpublished) and puts it at the end of the viewer's list. LIMIT_EXCEEDED (packsPerOwner) past 50." })
  async createStickerPack(@Args(() => CreateStickerPackArgs) { title }: CreateStickerPackArgs, @Ctx() ctx: Context): Promise<StickerPack> {
    return toPack(await ctx.services.stickers.create(requireViewer(ctx), title));
  }

  @Authorized()
  @Mutation(() => StickerPack, { description: "Renames one of the viewer's packs." })
  async renameStickerPack(@Args(() => RenameStickerPackArgs) { packId, title }: RenameStickerPackArgs, @Ctx() ctx: Context): Promise<StickerPack> {
    return toPack(await ctx.services.stickers.rename(requireViewer(ctx), packId, title));
  }

  @Authorized()
  @Mutation(() => StickerPack, { description: "Publishes one of the viewer's packs (it needs a sticker): anyone signed in with its link may then preview and add it." })
  async publishStickerPack(@Arg('packId', () => ID) packId: string, @Ctx() ctx: Context): Promise<StickerPack> {
    return toPack(await ctx.services.stickers.publish(requireViewer(ctx), packId));
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: "Deletes one of the viewer's packs for everyone: it leaves every list and its link stops working. Messages with its stickers keep showing them.",
  })
  async deleteStickerPack(@Arg('packId', () => ID) packId: string, @Ctx() ctx: Context): Promise<boolean> {
    await ctx.services.stickers.delete(requireViewer(ctx), packId);
    return true;
  }

  @Authorized()
  @Mutation(() => Sticker, { description: "Adds a sticker, made from one of the viewer's sticker uploads, at the end of their pack. LIMIT_EXCEEDED (stickersPerPack) past 120." })
  addSticker(@Arg('input', () => AddStickerInput) input: AddStickerInput, @Ctx() ctx: Context): Promise<StickerWithMedia> {
    return ctx.services.stickers.addSticker(requireViewer(ctx), input);
  }

  @Authorized()
  @Mutation(() => StickerPack, { description: "Takes a sticker out of the viewer's pack; messages that carry it keep showing it. Answers the pack." })
  async removeSticker(@Arg('stickerId', () => ID) stickerId: string, @Ctx() ctx: Context): Promise<StickerPack> {
    return toPack(await ctx.services.stickers.removeSticker(requireViewer(ctx), stickerId));
  }

  @Authorized()
  @Mutation(() => StickerPack, { description: "Puts the stickers of the viewer's pack in a new order." })
  async reorderStickers(@Args(() => ReorderStickersArgs) { packId, stickerIds }: ReorderStickersArgs, @Ctx() ctx: Context): Promise<StickerPack> {
    return toPack(await ctx.services.stickers.reorderStickers(requireViewer(ctx), packId, stickerIds));
  }

  @Authorized()
  @Mutation(() => StickerPack, {
    description: "Adds a pack the viewer may see (published, or theirs) to the end of their list; again is harmless. LIMIT_EXCEEDED (installedPacks) past 100.",
  })
  async installStickerPack(@Arg('packId', () => ID) packId: string, @Ctx() ctx: Context): Promise<StickerPack> {
    return toPack(await ctx.services.stickers.install(requireViewer(ctx), packId));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Takes a pack out of the viewer's list only (nobody else's; the pack stays). Built-in packs cannot be taken out." })
  async uninstallStickerPack(@Arg('packId', () => ID) packId: string, @Ctx() ctx: Context): Promise<boolean> {
    await ctx.services.stickers.uninstall(requireViewer(ctx), packId);
    return true;
  }

  @Authorized()
  @Mutation(() => [StickerPack], { description: "Puts the viewer's packs in a new order (the built-in ones stay first); answers the whole list." })
  async reorderStickerPacks(@Args(() => ReorderStickerPacksArgs) { packIds }: ReorderStickerPacksArgs, @Ctx() ctx: Context): Promise<StickerPack[]> {
    return (await ctx.services.stickers.reorderInstalled(requireViewer(ctx), packIds)).map(toPack);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who made it; null for a built-in pack or when the account is gone.' })
  owner(@Root() pack: StickerPack, @Ctx() ctx: Context): Promise<UserRow | null> {
    return pack.ownerId ? ctx.loaders.user.load(pack.ownerId) : Promise.resolve(null);
  }
}

@Resolver(() => Sticker)
export class StickerResolver {
  @Authorized()
  @Query(() => [Sticker], { description: 'The stickers the viewer sent lately, latest first, that they can still send.' })
  recentStickers(@Args(() => RecentStickersArgs) { first }: RecentStickersArgs, @Ctx() ctx: Context): Promise<StickerWithMedia[]> {
    return ctx.services.stickers.recent(requireViewer(ctx), first);
  }

  @FieldResolver(() => String, { description: 'The image: a signed URL (on the API\'s origin) that works for at least MEDIA_URL_TTL.' })
  url(@Root() sticker: StickerWithMedia, @Ctx() ctx: Context): string {
    return ctx.services.media.mediaUrls(sticker.media).url;
  }

  @FieldResolver(() => String, { nullable: true, description: 'A smaller image (160 px) for pickers, signed like `url`.' })
  thumbnailUrl(@Root() sticker: StickerWithMedia, @Ctx() ctx: Context): string | null {
    return ctx.services.media.mediaUrls(sticker.media).thumbnailUrl;
  }

  @FieldResolver(() => Int, { description: 'Width of the image in pixels (at most 512).' })
  width(@Root() sticker: StickerWithMedia): number {
    return sticker.media.width ?? 512;
  }

  @FieldResolver(() => Int, { description: 'Height of the image in pixels (at most 512).' })
  height(@Root() sticker: StickerWithMedia): number {
    return sticker.media.height ?? 512;
  }
}

@Resolver(() => Message)
export class MessageStickerResolver {
  @FieldResolver(() => Sticker, {
    nullable: true,
    description: 'For a STICKER message: its sticker, shown even after its pack or the sticker was deleted; null once the message is deleted.',
  })
  sticker(@Root() message: MessageRow, @Ctx() ctx: Context): Promise<StickerWithMedia | null> {
    if (message.kind !== 'STICKER' || !message.stickerId || message.deletedAt) return Promise.resolve(null);
    return ctx.loaders.sticker.load(message.stickerId);
  }
}
