import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireViewer, type Context } from '../../app/context.js';
import type { Message as MessageRow, User as UserRow } from '../../generated/prisma/client.js';
import { MemberRole } from '../../generated/prisma/enums.js';
import { User } from '../users/users.types.js';
import { ChangesArgs, HistoryArgs, SearchMessagesArgs, SendMessageInput, SyncArgs } from './messages.inputs.js';
import type { SystemEventRecord } from './messages.records.js';
import type { ConversationChanges as Changes, SyncResult as Sync } from './messages.catchup.js';
import type { HistoryPage } from './messages.service.js';
import { ConversationChanges, Message, MessageConnection, MessagePage, SyncResult, SystemEvent } from './messages.types.js';

// Every query and mutation requires a session; the fields of a Message are reached only through
// them (or the authorized `events` subscription), so they are not checked again one by one.
@Resolver(() => Message)
export class MessageResolver {
  @Authorized()
  @Query(() => MessagePage, {
    description: 'History by seq, oldest first: the latest messages, or those before (scrolling back) or after a seq.',
  })
  async messages(@Args(() => HistoryArgs) args: HistoryArgs, @Ctx() ctx: Context): Promise<HistoryPage> {
    const page = await ctx.services.messages.history(requireViewer(ctx), args.conversationId, args);
    for (const sender of page.senders) ctx.loaders.user.prime(sender.id, sender);
    return page;
  }

  @Authorized()
  @Query(() => ConversationChanges, { description: 'What changed in a conversation after a seq: fills a gap in the event stream.' })
  changes(@Args(() => ChangesArgs) args: ChangesArgs, @Ctx() ctx: Context): Promise<Changes> {
    return ctx.services.messages.changes(requireViewer(ctx), args.conversationId, args.afterSeq, args.limit, args.hiddenAfter ?? null);
  }

  @Authorized()
  @Query(() => SyncResult, {
    description: "Everything after the client's cursors in all of the viewer's conversations, in one round trip (after a reconnect).",
  })
  sync(@Args(() => SyncArgs) { cursors }: SyncArgs, @Ctx() ctx: Context): Promise<Sync> {
    return ctx.services.messages.sync(requireViewer(ctx), cursors);
  }

  @Authorized()
  @Query(() => MessageConnection, { description: "Full-text search in the viewer's conversations (or one), newest first." })
  async searchMessages(@Args(() => SearchMessagesArgs) args: SearchMessagesArgs, @Ctx() ctx: Context) {
    const page = await ctx.services.messages.search(requireViewer(ctx), args.query, args.conversationId, args.first, args.after);
    return { nodes: page.nodes, pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage } };
  }

  @Authorized()
  @Mutation(() => Message, {
    description: 'Sends a message; answered after it is stored. A retry with the same clientMsgId returns the first result.',
  })
  sendMessage(@Arg('input', () => SendMessageInput) input: SendMessageInput, @Ctx() ctx: Context): Promise<MessageRow> {
    return ctx.services.messages.send(requireViewer(ctx), input, ctx.ip);
  }

  @Authorized()
  @Mutation(() => Message, { description: 'Edits one of the viewer\'s text messages; it is marked edited.' })
  editMessage(@Arg('messageId', () => ID) messageId: string, @Arg('body', () => String) body: string, @Ctx() ctx: Context): Promise<MessageRow> {
    return ctx.services.messages.edit(requireViewer(ctx), messageId, body);
  }

  @Authorized()
  @Mutation(() => Message, { description: "Deletes a message (the viewer's own; any, for a group's admins and owner), leaving a tombstone." })
  deleteMessage(@Arg('messageId', () => ID) messageId: string, @Ctx() ctx: Context): Promise<MessageRow> {
    return ctx.services.messages.delete(requireViewer(ctx), messageId);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      'Deletes a message for the viewer alone ("delete for me"), any message they see: it leaves their history, search, sync and previews on all of their devices (MessageHiddenEvent), and nobody else sees a change. Again for one already deleted so answers true. NOT_FOUND for a message they do not see, as for one that does not exist; FORBIDDEN for a member removed from the group (their copy is read-only).',
  })
  async deleteMessageForMe(@Arg('messageId', () => ID) messageId: string, @Ctx() ctx: Context): Promise<boolean> {
    await ctx.services.messages.deleteForMe(requireViewer(ctx), messageId);
    return true;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who sent it (for SYSTEM messages: who made the change); null if the account is gone.' })
  sender(@Root() message: MessageRow, @Ctx() ctx: Context): Promise<UserRow | null> {
    return message.senderId ? ctx.loaders.user.load(message.senderId) : Promise.resolve(null);
  }

  @FieldResolver(() => Message, { nullable: true, description: 'The message this one replies to, if the viewer can see it (see `isReply`).' })
  replyTo(@Root() message: MessageRow, @Ctx() ctx: Context): Promise<MessageRow | null> {
    return message.replyToId ? ctx.loaders.visibleMessage.load(message.replyToId) : Promise.resolve(null);
  }

  @FieldResolver(() => Boolean, {
    description:
      'Whether it replies to another message: also when `replyTo` is null because the viewer does not see that one (they deleted it for themselves, or it is from before they joined). Show such a reply as quoting an unavailable message.',
  })
  isReply(@Root() message: MessageRow): boolean {
    return message.replyToId !== null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether it was edited.' })
  edited(@Root() message: MessageRow): boolean {
    return message.editedAt !== null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether it was deleted (a tombstone).' })
  deleted(@Root() message: MessageRow): boolean {
    return message.deletedAt !== null;
  }

  @FieldResolver(() => String, { nullable: true, description: "The sender's idempotency key; shown to the sender only." })
  clientMsgId(@Root() message: MessageRow, @Ctx() ctx: Context): string | null {
    return message.senderId === ctx.viewer?.userId ? message.clientMsgId : null;
  }

  @FieldResolver(() => SystemEvent, { nullable: true, description: 'For a SYSTEM message: what changed.' })
  event(@Root() message: MessageRow): SystemEventRecord | null {
    return message.kind === 'SYSTEM' ? (message.event as SystemEventRecord) : null;
  }
}

@Authorized()
@Resolver(() => SystemEvent)
export class SystemEventResolver {
  @FieldResolver(() => User, { nullable: true, description: 'Who made the change.' })
  actor(@Root() event: SystemEventRecord, @Ctx() ctx: Context): Promise<UserRow | null> {
    return ctx.loaders.user.load(event.actorId);
  }

  @FieldResolver(() => [User], { description: 'The members the change was about (added, removed, who left, whose role changed).' })
  async users(@Root() event: SystemEventRecord, @Ctx() ctx: Context): Promise<UserRow[]> {
    const ids = 'userIds' in event ? event.userIds : 'userId' in event ? [event.userId] : [];
    const users = await ctx.loaders.user.loadMany(ids);
    return users.filter((u): u is UserRow => u !== null && !(u instanceof Error));
  }

  @FieldResolver(() => MemberRole, { nullable: true, description: 'The new role, for ROLE_CHANGED.' })
  role(@Root() event: SystemEventRecord): MemberRole | null {
    return event.type === 'ROLE_CHANGED' ? event.role : null;
  }
}
