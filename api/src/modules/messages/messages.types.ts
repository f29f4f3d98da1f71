import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MessageKind } from '../../generated/prisma/enums.js';
import { Conversation, PageInfo } from '../conversations/conversations.types.js';

registerEnumType(MessageKind, {
  name: 'MessageKind',
  description: 'TEXT: Markdown. IMAGE, STICKER, FILE: media (body is the caption). SYSTEM: a membership or title change, described by `event`.',
});

export enum SystemEventType {
  GROUP_CREATED = 'GROUP_CREATED',
  MEMBERS_ADDED = 'MEMBERS_ADDED',
  MEMBER_REMOVED = 'MEMBER_REMOVED',
  MEMBER_LEFT = 'MEMBER_LEFT',
  ROLE_CHANGED = 'ROLE_CHANGED',
  TITLE_CHANGED = 'TITLE_CHANGED',
  AVATAR_CHANGED = 'AVATAR_CHANGED',
}
registerEnumType(SystemEventType, { name: 'SystemEventType', description: 'What a SYSTEM message records.' });

@ObjectType({ description: 'A message, or the tombstone of a deleted one.' })
export class Message {
  @Field(() => ID, { description: 'Stable id of the message.' })
  id!: string;

  @Field(() => ID, { description: 'The conversation it belongs to.' })
  conversationId!: string;

  @Field(() => Int, { description: 'Its position in the conversation: the seq it took when sent.' })
  seq!: number;

  @Field(() => Int, { description: 'The seq of its latest change (sending, editing or deleting).' })
  updatedSeq!: number;

  @Field(() => MessageKind, { description: 'What kind of message it is.' })
  kind!: MessageKind;

  @Field(() => String, { description: 'Markdown source; empty for a deleted message and for SYSTEM messages.' })
  body!: string;

  @Field(() => Date, { nullable: true, description: 'When it was last edited, if it was.' })
  editedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was deleted, if it was.' })
  deletedAt!: Date | null;

  @Field(() => Date, { description: 'When it was sent.' })
  createdAt!: Date;
}

@ObjectType({ description: 'What a SYSTEM message records: a membership or title change.' })
export class SystemEvent {
  @Field(() => SystemEventType, { description: 'What happened.' })
  type!: SystemEventType;

  @Field(() => String, { nullable: true, description: 'The title, for GROUP_CREATED and TITLE_CHANGED.' })
  title?: string;
}

@ObjectType({ description: 'A stretch of a conversation\'s history, oldest first.' })
export class MessagePage {
  @Field(() => [Message], { description: 'The messages, by seq.' })
  messages!: unknown[];

  @Field(() => Boolean, { description: 'Whether more messages lie beyond this page in the direction asked.' })
  hasMore!: boolean;
}

@ObjectType({ description: 'A page of messages, newest first.' })
export class MessageConnection {
  @Field(() => [Message], { description: 'The messages of this page.' })
  nodes!: unknown[];

  @Field(() => PageInfo, { description: 'Where this page ends.' })
  pageInfo!: PageInfo;
}

@ObjectType({ description: 'What changed in one conversation after a seq: apply `messages`, then set the cursor to `toSeq`.' })
export class ConversationChanges {
  @Field(() => Conversation, { description: 'The conversation as it is now (title, members, read cursors).' })
  conversation!: unknown;

  @Field(() => [Message], { description: 'Messages created or changed after `fromSeq`, current state, in the order of their latest change.' })
  messages!: unknown[];

  @Field(() => Int, { description: 'The cursor asked from.' })
  fromSeq!: number;

  @Field(() => Int, { description: 'The new cursor: every change up to this seq is reflected.' })
  toSeq!: number;

  @Field(() => [ID], {
    description: 'Messages the viewer deleted for themselves ("delete for me") after the hidden cursor given (`hiddenAfter`, `SyncCursorInput.hiddenSeq`), in order: drop them. Empty when none was given.',
  })
  hiddenMessageIds!: string[];

  @Field(() => Int, {
    description:
      'The new hidden cursor: every message the viewer deleted for themselves here, up to this count, is reflected (listed in `hiddenMessageIds`, or left out of a conversation that comes whole). 0 when no hidden cursor was given: none is listed then.',
  })
  hiddenSeq!: number;

  @Field(() => Boolean, { description: 'More changes follow; ask again from `toSeq` (and `hiddenSeq`).' })
  hasMore!: boolean;
}

@ObjectType({ description: 'Everything after the client\'s cursors, in all of the viewer\'s conversations.' })
export class SyncResult {
  @Field(() => [ConversationChanges], { description: 'One entry per conversation with news, including ones the client has never seen.' })
  changes!: ConversationChanges[];

  @Field(() => [ID], { description: 'Conversations the client has cursors for that the viewer no longer has (left, removed, deleted).' })
  removedConversationIds!: string[];

  @Field(() => Boolean, { description: 'The answer was cut to its budget: call sync again with the new cursors.' })
  hasMore!: boolean;
}
