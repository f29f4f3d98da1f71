import { Authorized, Ctx, FieldResolver, Resolver, Root, Subscription } from 'type-graphql';
import { requireViewer, type Context } from '../../app/context.js';
import type { AppEvent } from '../../core/events.js';
import type { Conversation as ConversationRow, User as UserRow } from '../../generated/prisma/client.js';
import { Conversation } from '../conversations/conversations.types.js';
import { User } from '../users/users.types.js';
import { ConversationUpdatedEvent, Event, MemberJoinedEvent, MemberLeftEvent, MemberRoleChangedEvent, PresenceEvent, ProfileChangedEvent, ReadReceiptEvent, TypingEvent } from './events.types.js';

@Resolver()
export class EventResolver {
  @Authorized()
  @Subscription(() => Event, {
    description: "Everything that happens in the viewer's conversations and to people they know, as it happens. One per client.",
    subscribe: ({ context }) => {
      const ctx = context as Context;
      return ctx.services.bus.subscribe(requireViewer(ctx).userId);
    },
  })
  events(@Root() event: AppEvent): AppEvent {
    // Each event is executed with fresh loaders, set on the socket's context by events.sharing.ts.
    return event;
  }
}

async function loadUser(ctx: Context, userId: string): Promise<UserRow> {
  const user = await ctx.loaders.user.load(userId);
  if (!user) throw new Error(`user ${userId} is gone`);
  return user;
}

async function loadConversation(ctx: Context, conversationId: string): Promise<ConversationRow | null> {
  return ctx.loaders.conversation.load(conversationId);
}

@Resolver(() => ReadReceiptEvent)
export class ReadReceiptEventResolver {
  @FieldResolver(() => User, { description: 'Who read.' })
  user(@Root() event: { userId: string }, @Ctx() ctx: Context) {
    return loadUser(ctx, event.userId);
  }
}

@Resolver(() => TypingEvent)
export class TypingEventResolver {
  @FieldResolver(() => User, { description: 'Who is typing.' })
  user(@Root() event: { userId: string }, @Ctx() ctx: Context) {
    return loadUser(ctx, event.userId);
  }
}

@Resolver(() => PresenceEvent)
export class PresenceEventResolver {
  @FieldResolver(() => User, { description: 'Whose presence changed.' })
  user(@Root() event: { userId: string }, @Ctx() ctx: Context) {
    return loadUser(ctx, event.userId);
  }
}

@Resolver(() => ProfileChangedEvent)
export class ProfileChangedEventResolver {
  @FieldResolver(() => User, { description: 'The person as they are now (read at delivery: a quick second change is told with the latest state).' })
  user(@Root() event: { userId: string }, @Ctx() ctx: Context) {
    return loadUser(ctx, event.userId);
  }
}

@Resolver(() => MemberLeftEvent)
export class MemberLeftEventResolver {
  @FieldResolver(() => User, { description: 'The user who is no longer a member.' })
  user(@Root() event: { userId: string }, @Ctx() ctx: Context) {
    return loadUser(ctx, event.userId);
  }
}

@Resolver(() => MemberRoleChangedEvent)
export class MemberRoleChangedEventResolver {
  @FieldResolver(() => User, { description: 'The member.' })
  user(@Root() event: { userId: string }, @Ctx() ctx: Context) {
    return loadUser(ctx, event.userId);
  }
}

@Resolver(() => MemberJoinedEvent)
export class MemberJoinedEventResolver {
  @FieldResolver(() => Conversation, { nullable: true, description: 'The conversation as it is now (null if it is already gone).' })
  conversation(@Root() event: { conversationId: string }, @Ctx() ctx: Context) {
    return loadConversation(ctx, event.conversationId);
  }
}

@Resolver(() => ConversationUpdatedEvent)
export class ConversationUpdatedEventResolver {
  @FieldResolver(() => Conversation, { nullable: true, description: 'The conversation as it is now (null if it is already gone).' })
  conversation(@Root() event: { conversationId: string }, @Ctx() ctx: Context) {
    return loadConversation(ctx, event.conversationId);
  }
}
