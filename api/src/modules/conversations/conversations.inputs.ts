import { ArrayMaxSize, IsIn, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { MemberRole } from '../../generated/prisma/enums.js';
import { CharLength } from '../../core/text.validators.js';

// Letters, marks, numbers, punctuation, symbols and spaces: no control or format characters.
const TITLE_PATTERN = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u;
const TITLE_LENGTH = 'A title is 1–128 characters long.';
const TITLE_CHARACTERS = 'The title contains characters that are not allowed.';

@InputType({ description: 'A new group.' })
export class CreateGroupInput {
  @Field(() => String, { description: 'The group title, 1–128 characters.' })
  @CharLength(1, 128, { message: TITLE_LENGTH })
  @Matches(TITLE_PATTERN, { message: TITLE_CHARACTERS })
  title!: string;

  @Field(() => [ID], { defaultValue: [], description: 'The first members besides the creator (who becomes the owner).' })
  @IsUUID('all', { each: true, message: 'memberIds must hold user ids.' })
  @ArrayMaxSize(999, { message: 'A group has at most 1000 members.' })
  memberIds!: string[];
}

@ArgsType()
export class RenameGroupArgs {
  @Field(() => ID, { description: 'The group.' })
  conversationId!: string;

  @Field(() => String, { description: 'The new title, 1–128 characters.' })
  @CharLength(1, 128, { message: TITLE_LENGTH })
  @Matches(TITLE_PATTERN, { message: TITLE_CHARACTERS })
  title!: string;
}

@ArgsType()
export class MembersArgs {
  @Field(() => ID, { description: 'The group.' })
  conversationId!: string;

  @Field(() => [ID], { description: 'The users to add.' })
  @IsUUID('all', { each: true, message: 'userIds must hold user ids.' })
  @ArrayMaxSize(999, { message: 'A group has at most 1000 members.' })
  userIds!: string[];
}

@ArgsType()
export class MemberArgs {
  @Field(() => ID, { description: 'The group.' })
  conversationId!: string;

  @Field(() => ID, { description: 'The member.' })
  userId!: string;
}

@ArgsType()
export class SetRoleArgs extends MemberArgs {
  @Field(() => MemberRole, { description: 'The new role; OWNER hands the group over (the owner becomes an admin).' })
  @IsIn(Object.values(MemberRole), { message: 'role must be OWNER, ADMIN or MEMBER.' })
  role!: MemberRole;
}

@ArgsType()
export class ConversationsArgs {
  @Field(() => Int, { defaultValue: 30, description: 'Page size, 1–100.' })
  @Min(1, { message: 'first must be at least 1.' })
  @Max(100, { message: 'first must be at most 100.' })
  first!: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  after?: string;
}

@ArgsType()
export class MarkReadArgs {
  @Field(() => ID, { description: 'The conversation.' })
  conversationId!: string;

  @Field(() => Int, { description: 'Everything up to this seq has been read.' })
  @Min(0, { message: 'seq must not be negative.' })
  seq!: number;
}
