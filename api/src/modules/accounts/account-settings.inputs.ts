import { IsOptional, Length, Matches, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IsWellFormedText } from '../../core/text.validators.js';
import { USERNAME_PATTERN } from './accounts.inputs.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.js';

/**
 * A TOTP code (6 digits) or a recovery code (12 characters), with the spaces and dashes people
 * type between groups: anything else cannot be a code, and is refused before it is tried.
 */
const SECOND_FACTOR_CODE = /^[\s-]*(?:[0-9A-Za-z][\s-]*){6,16}$/;

@InputType({ description: "A new password for the signed-in account, with the current one as proof." })
export class ChangePasswordInput {
  @Field(() => String, { description: 'The password the account has now.' })
  @Length(1, PASSWORD_MAX, { message: 'Enter your current password.' })
  currentPassword!: string;

  @Field(() => String, { description: `The new password: ${PASSWORD_MIN}–${PASSWORD_MAX} characters, not a common password, not the current one.` })
  @Length(PASSWORD_MIN, PASSWORD_MAX, {
    message: `The password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters long.`,
  })
  // Hashing encodes an unpaired surrogate as U+FFFD: different passwords would share a hash.
  @IsWellFormedText({ message: 'The password contains a character that is not valid text.' })
  newPassword!: string;
}

@InputType({ description: 'A new user name for the signed-in account.' })
export class ChangeUsernameInput {
  @Field(() => String, { description: '3–32 letters (a–z), digits or underscores; unique regardless of case.' })
  @Matches(USERNAME_PATTERN, { message: 'The user name must be 3–32 letters (a–z), digits or underscores.' })
  username!: string;
}

@InputType({ description: 'Proof that the signed-in person means to delete their account.' })
export class DeleteAccountInput {
  @Field(() => String, { description: "The account's password." })
  @Length(1, PASSWORD_MAX, { message: 'Enter your password.' })
  password!: string;

  @Field(() => String, {
    nullable: true,
    description: 'With two-factor sign-in on (required then): a code from the authenticator app, or an unused recovery code. Ignored otherwise.',
  })
  @IsOptional()
  @Matches(SECOND_FACTOR_CODE, { message: 'Enter the 6-digit code from your app, or a recovery code.' })
  @MaxLength(64, { message: 'Enter the 6-digit code from your app, or a recovery code.' })
  code?: string | null;
}
