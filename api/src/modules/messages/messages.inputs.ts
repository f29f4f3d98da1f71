import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, Length, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { BODY_MAX } from './messages.body.js';

@InputType({ description: 'A message to send.' })
export class SendMessageInput {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId!: string;

  @Field(() => String, {
    description: "The sender's idempotency key (1–64 of A–Z a–z 0–9 _ -): a retry with the same key returns the first result instead of sending twice.",
  })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'clientMsgId must be 1–64 letters, digits, _ or -.' })
  clientMsgId!: string;

  @Field(() => String, {
    defaultValue: '',
    description: `Markdown source, 1–${BODY_MAX} characters after trimming, no control characters; with \`mediaIds\`, the caption, which may be empty.`,
  })
  // A caption may be empty: its bounds are checked when the message is sent.
  @ValidateIf((input: SendMessageInput) => !input.mediaIds?.length && !input.stickerId)
  @Length(1, BODY_MAX + 1000, { message: `A message is 1–${BODY_MAX} characters long.` })
  body!: string;

  @Field(() => [ID], {
    nullable: true,
    description: 'Photos (1–10), or one file, uploaded by the sender with POST /media (purpose photo or file) and not sent before: an IMAGE or FILE message.',
  })
  @IsOptional()
  @ArrayMinSize(1, { message: 'Give at least one media id, or none at all.' })
  @ArrayMaxSize(10, { message: 'A message holds at most 10 photos.' })
  mediaIds?: string[] | null;

  @Field(() => ID, {
    nullable: true,
    description: "A sticker from the sender's packs (built-in, in their list, or their own): a STICKER message, sent alone (no body, no mediaIds).",
  })
  @IsOptional()
  stickerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The message this one replies to, in the same conversation.' })
  @IsOptional()
  replyToId?: string | null;
}

@ArgsType()
export class HistoryArgs {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId!: string;

  @Field(() => Int, { nullable: true, description: 'Only messages before this seq (scrolling back).' })
  @IsOptional()
  @Min(0, { message: 'before must not be negative.' })
  before?: number | null;

  @Field(() => Int, { nullable: true, description: 'Only messages after this seq (catching up).' })
  @IsOptional()
  @Min(0, { message: 'after must not be negative.' })
  after?: number | null;

  @Field(() => Int, { defaultValue: 50, description: 'At most this many messages (1–100).' })
  @Min(1, { message: 'limit must be at least 1.' })
  @Max(100, { message: 'limit must be at most 100.' })
  limit!: number;
}

@ArgsType()
export class ChangesArgs {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId!: string;

  @Field(() => Int, { description: 'The last seq the client applied.' })
  @Min(0, { message: 'afterSeq must not be negative.' })
  afterSeq!: number;

  @Field(() => Int, {
    nullable: true,
    description: "The client's hidden cursor here (Conversation.hiddenSeq as it last applied it): the answer's `hiddenMessageIds` are the messages the viewer deleted for themselves after it. Without it, none are listed and the answer's `hiddenSeq` is 0.",
  })
  @IsOptional()
  @Min(0, { message: 'hiddenAfter must not be negative.' })
  hiddenAfter?: number | null;

  @Field(() => Int, { defaultValue: 100, description: 'At most this many messages (1–100), and at most this many hidden ones.' })
  @Min(1, { message: 'limit must be at least 1.' })
  @Max(100, { message: 'limit must be at most 100.' })
  limit!: number;
}

@InputType({ description: 'The last seq a client applied in one conversation (and the last of the viewer\'s hidden messages there).' })
export class SyncCursorInput {
  @Field(() => ID, { description: 'The conversation.' })
  @IsUUID('all', { message: 'conversationId must be a conversation id.' })
  conversationId!: string;

  @Field(() => Int, { description: 'The last seq applied.' })
  @Min(0, { message: 'seq must not be negative.' })
  seq!: number;

  @Field(() => Int, {
    nullable: true,
    description: "The last hidden cursor applied (Conversation.hiddenSeq, ConversationChanges.hiddenSeq, MessageHiddenEvent.hiddenSeq): the messages the viewer deleted for themselves after it come in `hiddenMessageIds`, also when nothing else changed. Without it, none are listed.",
  })
  @IsOptional()
  @Min(0, { message: 'hiddenSeq must not be negative.' })
  hiddenSeq?: number | null;
}

@ArgsType()
export class SyncArgs {
  @Field(() => [SyncCursorInput], { defaultValue: [], description: 'The client\'s cursors; conversations missing here come from the start.' })
  @ValidateNested({ each: true })
  @ArrayMaxSize(10_000, { message: 'At most 10,000 cursors.' })
  cursors!: SyncCursorInput[];
}

@ArgsType()
export class SearchMessagesArgs {
  @Field(() => String, { description: 'Words to find (web-search syntax: "quoted phrase", -exclude, or).' })
  @Length(1, 256, { message: 'Type 1–256 characters to search for.' })
  query!: string;

  @Field(() => ID, { nullable: true, description: 'Only in this conversation.' })
  @IsOptional()
  conversationId?: string;

  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1–100.' })
  @Min(1, { message: 'first must be at least 1.' })
  @Max(100, { message: 'first must be at most 100.' })
  first!: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  after?: string;
}
