/** The `events` subscription's payload: one union member per kind of change. */
import { createUnionType, Field, ID, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { SyncReason, type AppEvent, type AppEventType } from '../../core/events.js';
import { MemberRole } from '../../generated/prisma/enums.js';
import { Message } from '../messages/messages.types.js';

@InterfaceType({ description: 'A change inside a conversation: it took the conversation\'s next seq.' })
export abstract class ConversationChange {
  @Field(() => ID, { description: 'The conversation that changed.' })
  conversationId!: string;

  @Field(() => Int, { description: "The conversation's seq this change took. A jump past the client's cursor + 1 means a gap: fill it with `changes`." })
  seq!: number;

  @Field(() => Message, { description: 'The message this change created or changed (SYSTEM for membership and title changes).' })
  message!: unknown;
}

@ObjectType({ description: 'A message was sent.', implements: ConversationChange })
export class MessageAddedEvent extends ConversationChange {}

@ObjectType({ description: 'A message was edited.', implements: ConversationChange })
export class MessageEditedEvent extends ConversationChange {}

@ObjectType({ description: 'A message was deleted; `message` is its tombstone.', implements: ConversationChange })
export class MessageDeletedEvent extends ConversationChange {}

@ObjectType({ description: "A group's title changed; `conversation` is the new state.", implements: ConversationChange })
export class ConversationUpdatedEvent extends ConversationChange {}

@ObjectType({ description: 'Members joined (or a group was created with them).', implements: ConversationChange })
export class MemberJoinedEvent extends ConversationChange {
  @Field(() => [ID], { description: 'The users who joined.' })
  userIds!: string[];
}

@ObjectType({ description: 'A member left or was removed (see message.event.type).', implements: ConversationChange })
export class MemberLeftEvent extends ConversationChange {
  @Field(() => ID, { description: 'The user who is no longer a member.' })
  userId!: string;
}

@ObjectType({ description: "A member's role changed.", implements: ConversationChange })
export class MemberRoleChangedEvent extends ConversationChange {
  @Field(() => ID, { description: 'The member.' })
  userId!: string;

  @Field(() => MemberRole, { description: 'The new role.' })
  role!: MemberRole;
}

@ObjectType({ description: "A member's read cursor moved: they read everything up to lastReadSeq." })
export class ReadReceiptEvent {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId!: string;

  @Field(() => ID, { description: 'Who read.' })
  userId!: string;

  @Field(() => Int, { description: 'Their new read cursor.' })
  lastReadSeq!: number;
}

@ObjectType({ description: 'Someone is typing (ephemeral; assume it stops after about 5 seconds without another).' })
export class TypingEvent {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId!: string;

  @Field(() => ID, { description: 'Who is typing.' })
  userId!: string;
}

@ObjectType({ description: 'Someone came online or went offline (only as their "who sees my last seen" allows).' })
export class PresenceEvent {
  @Field(() => ID, { description: 'Whose presence changed.' })
  userId!: string;

  @Field(() => Boolean, { description: 'Whether they are online now.' })
  online!: boolean;

  @Field(() => Date, { nullable: true, description: 'When they went offline; null when they came online.' })
  lastSeenAt!: Date | null;
}

@ObjectType({
  description:
    'Someone changed their profile: display name, user name, bio or picture (`user` is how they are now). ' +
    'Sent to their own devices and to the people connected to them: their contacts (either way) and the members of the conversations they are in. ' +
    'Not stored: after a reconnect, read the people you show again.',
})
export class ProfileChangedEvent {
  @Field(() => ID, { description: 'Whose profile changed.' })
  userId!: string;
}

@ObjectType({ description: 'The conversation is gone for the viewer: they left or were removed, deleted it for themselves, or it was deleted for everyone.' })
export class ConversationRemovedEvent {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId!: string;
}

@ObjectType({
  description:
    'The viewer deleted a message for themselves ("delete for me"), on this device or another: drop it, and show replies to it as quoting an unavailable message. ' +
    'Not a ConversationChange (it takes no seq; nobody else is told): apply it by its own cursor, `hiddenSeq`, kept per conversation beside `seq` — ' +
    '`≤` yours: applied already; `= yours + 1`: apply, yours = hiddenSeq; more: a gap, fill it with `changes(conversationId, afterSeq: seq, hiddenAfter: yours)`.',
})
export class MessageHiddenEvent {
  @Field(() => ID, { description: 'The conversation of the message.' })
  conversationId!: string;

  @Field(() => ID, { description: 'The message deleted for the viewer.' })
  messageId!: string;

  @Field(() => Int, { description: 'How many messages of the conversation the viewer has deleted for themselves, this one included (Conversation.hiddenSeq).' })
  hiddenSeq!: number;
}

registerEnumType(SyncReason, {
  name: 'SyncReason',
  description: 'Why a SyncRequiredEvent was sent. More reasons may be added; answer any reason the same way.',
  valuesConfig: {
    EVENTS_INTERRUPTED: { description: "Events may not have reached this subscription: the server's link to its other instances was interrupted (Redis was away), or it began to follow a conversation the viewer joined after changes were already made in it." },
  },
});

@ObjectType({
  description:
    'Events may have been missed: call `sync` with the cursors of every conversation, as after a reconnect, and repeat while `hasMore`. ' +
    'Sent to every subscription of a server whose link to its other instances (Redis) came back after an interruption; the subscription itself goes on, and what arrives after this event is live.',
})
export class SyncRequiredEvent {
  @Field(() => SyncReason, { description: 'Why the events may have been missed.' })
  reason!: SyncReason;
}

const BY_TYPE: Record<AppEventType, abstract new () => object> = {
  MESSAGE_ADDED: MessageAddedEvent,
  MESSAGE_EDITED: MessageEditedEvent,
  MESSAGE_DELETED: MessageDeletedEvent,
  CONVERSATION_UPDATED: ConversationUpdatedEvent,
  MEMBER_JOINED: MemberJoinedEvent,
  MEMBER_LEFT: MemberLeftEvent,
  MEMBER_ROLE_CHANGED: MemberRoleChangedEvent,
  READ_RECEIPT: ReadReceiptEvent,
  TYPING: TypingEvent,
  PRESENCE: PresenceEvent,
  PROFILE_CHANGED: ProfileChangedEvent,
  CONVERSATION_REMOVED: ConversationRemovedEvent,
  MESSAGE_HIDDEN: MessageHiddenEvent,
  SYNC_REQUIRED: SyncRequiredEvent,
};

export const Event = createUnionType({
  name: 'Event',
  description: 'Something that happened in one of the viewer\'s conversations, or to someone they know.',
  types: () =>
    [
      MessageAddedEvent,
      MessageEditedEvent,
      MessageDeletedEvent,
      ConversationUpdatedEvent,
      MemberJoinedEvent,
      MemberLeftEvent,
      MemberRoleChangedEvent,
      ReadReceiptEvent,
      TypingEvent,
      PresenceEvent,
      ProfileChangedEvent,
      ConversationRemovedEvent,
      MessageHiddenEvent,
      SyncRequiredEvent,
    ] as const,
  resolveType: (event) => BY_TYPE[(event as unknown as AppEvent).type] as never,
});
