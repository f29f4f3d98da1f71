import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireViewer, type Context } from '../../app/context.js';
import type { Conversation as ConversationRow, Membership, Message as MessageRow, User as UserRow } from '../../generated/prisma/client.js';
import { MemberRole } from '../../generated/prisma/enums.js';
import { Message } from '../messages/messages.types.js';
import { User } from '../users/users.types.js';
import {
  ConversationsArgs,
  CreateGroupInput,
  MarkReadArgs,
  MemberArgs,
  MembersArgs,
  RenameGroupArgs,
  SetRoleArgs,
} from './conversations.inputs.js';
import type { RemovedView } from '../../app/loaders.js';
import { isRemoved, knownSeq, visibleFrom } from './visibility.js';
import { Conversation, ConversationConnection, Member } from './conversations.types.js';

/** The group as the viewer last saw it, when they were removed from it; null otherwise (nearly always, at no extra read). */
export async function asRemovedSaw(conversation: ConversationRow, ctx: Context): Promise<RemovedView | null> {
  if (conversation.kind !== 'GROUP') return null;
  const mine = await ctx.loaders.myMembership.load(conversation.id);
  return mine && isRemoved(mine) ? ctx.loaders.asRemovedSaw.load(conversation.id) : null;
}

@Authorized()
@Resolver(() => Conversation)
export class ConversationResolver {
  @Query(() => ConversationConnection, { description: "The viewer's conversations by last activity, newest first." })
  async conversations(@Args(() => ConversationsArgs) { first, after }: ConversationsArgs, @Ctx() ctx: Context) {
    const page = await ctx.services.conversations.list(requireViewer(ctx), first, after);
    return { nodes: page.nodes, pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage } };
  }

  @Query(() => Conversation, { description: 'One of the viewer\'s conversations.' })
  conversation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ConversationRow> {
    return ctx.services.conversations.get(requireViewer(ctx), id);
  }

  @Mutation(() => Conversation, {
    description: "The direct conversation with a user: the existing one, or a new one if their \"who can message me\" allows.",
  })
  createDirectConversation(@Arg('userId', () => ID) userId: string, @Ctx() ctx: Context): Promise<ConversationRow> {
    return ctx.services.conversations.createDirect(requireViewer(ctx), userId);
  }

  @Mutation(() => Conversation, { description: 'Creates a group; the viewer becomes its owner.' })
  createGroup(@Arg('input', () => CreateGroupInput) input: CreateGroupInput, @Ctx() ctx: Context): Promise<ConversationRow> {
    return ctx.services.groups.createGroup(requireViewer(ctx), input.title, input.memberIds);
  }

  @Mutation(() => Conversation, { description: 'Renames a group (admins and the owner).' })
  renameGroup(@Args(() => RenameGroupArgs) { conversationId, title }: RenameGroupArgs, @Ctx() ctx: Context): Promise<ConversationRow> {
    return ctx.services.groups.rename(requireViewer(ctx), conversationId, title);
  }

  @Mutation(() => Conversation, { description: 'Adds members to a group (admins and the owner). They see history from their arrival on.' })
  addMembers(@Args(() => MembersArgs) { conversationId, userIds }: MembersArgs, @Ctx() ctx: Context): Promise<ConversationRow> {
    return ctx.services.groups.addMembers(requireViewer(ctx), conversationId, userIds);
  }

  @Mutation(() => Conversation, { description: 'Removes a member: the owner removes anyone, an admin plain members. The removed member keeps the group read-only, with its history up to the removal (see Conversation.removedAtSeq), and receives nothing further.' })
  removeMember(@Args(() => MemberArgs) { conversationId, userId }: MemberArgs, @Ctx() ctx: Context): Promise<ConversationRow> {
    return ctx.services.groups.removeMember(requireViewer(ctx), conversationId, userId);
  }

  @Mutation(() => Conversation, { description: "Sets a member's role (the owner only); OWNER hands the group over." })
  setMemberRole(@Args(() => SetRoleArgs) { conversationId, userId, role }: SetRoleArgs, @Ctx() ctx: Context): Promise<ConversationRow> {
    return ctx.services.groups.setRole(requireViewer(ctx), conversationId, userId, role);
  }

  @Mutation(() => Boolean, { description: 'Leaves a group; an owner hands over to the oldest admin, else the oldest member.' })
  async leaveConversation(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: Context): Promise<boolean> {
    await ctx.services.groups.leave(requireViewer(ctx), conversationId);
    return true;
  }

  @Mutation(() => Boolean, {
    description: 'Deletes a conversation: for the viewer only (history hidden; it comes back with the next message), or for everyone (a group, by its owner).',
  })
  async deleteConversation(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('forEveryone', () => Boolean, { defaultValue: false }) forEveryone: boolean,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    await ctx.services.conversations.delete(requireViewer(ctx), conversationId, forEveryone);
    return true;
  }

  @Mutation(() => Conversation, { description: "Moves the viewer's read cursor forward (never back); the other members get a read receipt." })
  async markRead(@Args(() => MarkReadArgs) { conversationId, seq }: MarkReadArgs, @Ctx() ctx: Context): Promise<ConversationRow> {
    const viewer = requireViewer(ctx);
    const membership = await ctx.services.conversations.markRead(viewer, conversationId, seq);
    ctx.loaders.myMembership.prime(membership.conversationId, membership);
    return membership.conversation;
  }

  @Mutation(() => Conversation, { description: 'Mutes or unmutes notifications of a conversation for the viewer.' })
  async setMuted(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('muted', () => Boolean) muted: boolean,
    @Ctx() ctx: Context,
  ): Promise<ConversationRow> {
    const conversation = await ctx.services.conversations.setMuted(requireViewer(ctx), conversationId, muted);
    ctx.loaders.myMembership.clear(conversation.id);
    return conversation;
  }

  @Mutation(() => Boolean, { description: 'Tells the other members the viewer is typing. Ephemeral; repeats within 3 s are dropped.' })
  async setTyping(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: Context): Promise<boolean> {
    await ctx.services.conversations.typing(requireViewer(ctx), conversationId);
    return true;
  }

  @FieldResolver(() => String, { description: "The group's title; for a direct conversation, the other person's name." })
  async title(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<string> {
    if (conversation.kind === 'GROUP') {
      // One removed from the group keeps the name it had then: later renames are not theirs to see.
      const saw = await asRemovedSaw(conversation, ctx);
      return saw?.title ?? conversation.title ?? '';
    }
    const other = await this.otherUser(conversation, ctx);
    return other?.displayName ?? '';
  }

  @FieldResolver(() => User, { nullable: true, description: 'For a direct conversation: the other person.' })
  async otherUser(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<UserRow | null> {
    if (conversation.kind !== 'DIRECT' || !conversation.directKey) return null;
    const otherId = conversation.directKey.split(':').find((id) => id !== ctx.viewer?.userId);
    return otherId ? ctx.loaders.user.load(otherId) : null;
  }

  @FieldResolver(() => [Member], { description: 'The members, oldest first. Empty for a viewer removed from the group: who is in it now is not theirs to see.' })
  async members(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<Membership[]> {
    const mine = await ctx.loaders.myMembership.load(conversation.id);
    return mine && isRemoved(mine) ? [] : ctx.loaders.members.load(conversation.id);
  }

  @FieldResolver(() => Int)
  async seq(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<number> {
    const mine = await ctx.loaders.myMembership.load(conversation.id);
    return mine ? knownSeq(mine, conversation) : conversation.seq;
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description:
      'Set when an admin removed the viewer from the group: the seq of that change, whose MEMBER_REMOVED message is the last they see. They keep the history up to it (without the messages edited or deleted since), read-only (writing answers FORBIDDEN), are told nothing after it, and deleting the chat takes it away. Null for a member.',
  })
  async removedAtSeq(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<number | null> {
    return (await ctx.loaders.myMembership.load(conversation.id))?.removedSeq ?? null;
  }

  @FieldResolver(() => Message, { nullable: true, description: 'The latest message (for the preview), if the viewer can see it.' })
  lastMessage(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<MessageRow | null> {
    return ctx.loaders.lastMessage.load(conversation.id);
  }

  @FieldResolver(() => Date, { description: 'When the latest message came, or when the conversation was created; for a viewer removed from the group, when they were removed.' })
  async lastActivityAt(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<Date> {
    const saw = await asRemovedSaw(conversation, ctx);
    return saw?.removedAt ?? conversation.lastMessageAt ?? conversation.createdAt;
  }

  @FieldResolver(() => Int, { description: "Messages from others after the viewer's read cursor." })
  unreadCount(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.unreadCount.load(conversation.id);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer muted it.' })
  async muted(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.myMembership.load(conversation.id))?.muted ?? false;
  }

  @FieldResolver(() => MemberRole, { description: "The viewer's role." })
  async myRole(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<MemberRole> {
    return (await ctx.loaders.myMembership.load(conversation.id))?.role ?? 'MEMBER';
  }

  @FieldResolver(() => Int, { description: "The viewer's read cursor." })
  async lastReadSeq(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.myMembership.load(conversation.id))?.lastReadSeq ?? 0;
  }

  @FieldResolver(() => Int, {
    description:
      'How many of its messages the viewer deleted for themselves ("delete for me"); only grows. A second cursor to keep beside `seq`: give it to `sync` (SyncCursorInput.hiddenSeq) and `changes` (hiddenAfter) to learn of messages deleted so on another device. Take it with `seq`, before loading messages.',
  })
  hiddenSeq(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.hiddenSeq.load(conversation.id);
  }

  @FieldResolver(() => Int, { description: 'The viewer sees messages after this seq (what they deleted for themselves and what came before they joined is hidden).' })
  async visibleFromSeq(@Root() conversation: ConversationRow, @Ctx() ctx: Context): Promise<number> {
    const mine = await ctx.loaders.myMembership.load(conversation.id);
    return mine ? visibleFrom(mine) : conversation.seq;
  }
}

@Authorized()
@Resolver(() => Member)
export class MemberResolver {
  @FieldResolver(() => User, { description: 'The member.' })
  async user(@Root() member: Membership, @Ctx() ctx: Context): Promise<UserRow> {
    const user = await ctx.loaders.user.load(member.userId);
    if (!user) throw new Error(`member ${member.userId} has no user row`);
    return user;
  }
}
