import { IsEmail, IsIn, IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { DiscoverPrivacy, LastSeenPrivacy, MessagePrivacy } from '../../generated/prisma/enums.js';
import { Field, InputType } from 'type-graphql';
import { CharLength, IsWellFormedText } from '../../core/text.validators.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9_]{3,32}$/;
// Letters, marks, numbers, punctuation, symbols and plain spaces: no control or format characters.
const DISPLAY_NAME_PATTERN = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u;

@InputType({ description: 'A new account.' })
export class RegisterInput {
  @Field(() => String, { description: '3–32 letters (a–z), digits or underscores; unique regardless of case.' })
  @Matches(USERNAME_PATTERN, { message: 'The user name must be 3–32 letters (a–z), digits or underscores.' })
  username!: string;

  @Field(() => String, { description: 'Email address; stored lower-cased and unique.' })
  @IsEmail({}, { message: 'Enter a valid email address.' })
  @MaxLength(254, { message: 'The email address is too long.' })
  @IsWellFormedText({ message: 'Enter a valid email address.' })
  email!: string;

  @Field(() => String, { description: `${PASSWORD_MIN}–${PASSWORD_MAX} characters, not a common password.` })
  @Length(PASSWORD_MIN, PASSWORD_MAX, {
    message: `The password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters long.`,
  })
  // Hashing encodes an unpaired surrogate as U+FFFD: different passwords would share a hash.
  @IsWellFormedText({ message: 'The password contains a character that is not valid text.' })
  password!: string;

  @Field(() => String, { nullable: true, description: 'Name shown to others; defaults to the user name.' })
  @IsOptional()
  @CharLength(1, 64, { message: 'The display name must be 1–64 characters long.' })
  @Matches(DISPLAY_NAME_PATTERN, { message: 'The display name contains characters that are not allowed.' })
  displayName?: string;
}

@InputType({ description: 'Credentials for signing in.' })
export class LoginInput {
  @Field(() => String, { description: 'User name or email address.' })
  @Length(1, 254, { message: 'Enter your user name or email.' })
  login!: string;

  @Field(() => String, { description: 'The account password.' })
  @Length(1, PASSWORD_MAX, { message: 'Enter your password.' })
  password!: string;
}

// A bio may also hold line breaks.
const BIO_PATTERN = /^[\p{L}\p{M}\p{N}\p{P}\p{S} \n]*$/u;

@InputType({ description: 'Changes to the signed-in user\'s profile and privacy; fields left out stay as they are.' })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true, description: 'Name shown to others, 1–64 characters.' })
  @IsOptional()
  @CharLength(1, 64, { message: 'The display name must be 1–64 characters long.' })
  @Matches(DISPLAY_NAME_PATTERN, { message: 'The display name contains characters that are not allowed.' })
  displayName?: string;

  @Field(() => String, { nullable: true, description: 'A short text about the user, up to 500 characters; empty clears it.' })
  @IsOptional()
  @CharLength(0, 500, { message: 'The bio is at most 500 characters long.' })
  @Matches(BIO_PATTERN, { message: 'The bio contains characters that are not allowed.' })
  bio?: string;

  @Field(() => String, { nullable: true, description: 'Preferred language: "en" or "ru".' })
  @IsOptional()
  @IsIn(['en', 'ru'], { message: 'locale must be en or ru.' })
  locale?: string;

  @Field(() => MessagePrivacy, { nullable: true, description: 'Who may start a direct conversation with the user.' })
  @IsOptional()
  @IsIn(Object.values(MessagePrivacy), { message: 'whoCanMessage must be EVERYONE or CONTACTS.' })
  whoCanMessage?: MessagePrivacy;

  @Field(() => DiscoverPrivacy, { nullable: true, description: 'Who may find the user by search.' })
  @IsOptional()
  @IsIn(Object.values(DiscoverPrivacy), { message: 'whoCanFind must be EVERYONE, CONTACTS_OF_CONTACTS or NOBODY.' })
  whoCanFind?: DiscoverPrivacy;

  @Field(() => LastSeenPrivacy, { nullable: true, description: 'Who may see when the user was last online.' })
  @IsOptional()
  @IsIn(Object.values(LastSeenPrivacy), { message: 'whoSeesLastSeen must be EVERYONE, CONTACTS or NOBODY.' })
  whoSeesLastSeen?: LastSeenPrivacy;
}
