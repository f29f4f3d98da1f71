import { ArrayMaxSize, IsOptional, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';

@ArgsType()
export class SearchUsersArgs {
  @Field(() => String, { description: 'Part of a user name (a leading @ is ignored) or of a display name.' })
  @Length(1, 64, { message: 'Type 1–64 characters to search for.' })
  query!: string;

  @Field(() => Int, { defaultValue: 20, description: 'At most this many results (1–50).' })
  @Min(1, { message: 'first must be at least 1.' })
  @Max(50, { message: 'first must be at most 50.' })
  first!: number;
}

/** At most this many users in one `users` query: a screenful of avatars to renew at once. */
export const USERS_BY_ID_MAX = 100;

@ArgsType()
export class UsersByIdArgs {
  @Field(() => [ID], { description: `The users' ids (at most ${USERS_BY_ID_MAX}).` })
  @ArrayMaxSize(USERS_BY_ID_MAX, { message: `Ask for at most ${USERS_BY_ID_MAX} users at once.` })
  ids!: string[];
}

@InputType({ description: 'Someone to add to contacts: by id or by user name (exactly one).' })
export class ContactInput {
  @Field(() => ID, { nullable: true, description: 'The user id.' })
  @IsOptional()
  @IsUUID('all', { message: 'userId must be a user id.' })
  userId?: string;

  @Field(() => String, { nullable: true, description: 'The user name (any case, a leading @ is ignored).' })
  @IsOptional()
  @Matches(/^@?[A-Za-z0-9_]{3,32}$/, { message: 'username must be a user name.' })
  username?: string;
}
