import { Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IsWellFormedText } from '../../core/text.validators.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './password.js';

@InputType({ description: 'A new password, set with the token of a password reset link.' })
export class ResetPasswordInput {
  @Field(() => String, { description: 'The token from the link mailed by `requestPasswordReset` (after `#token=`).' })
  token!: string;

  @Field(() => String, { description: `The new password: ${PASSWORD_MIN}–${PASSWORD_MAX} characters, not a common one, not containing the user name.` })
  @Length(PASSWORD_MIN, PASSWORD_MAX, {
    message: `The password must be ${PASSWORD_MIN}–${PASSWORD_MAX} characters long.`,
  })
  // Hashing encodes an unpaired surrogate as U+FFFD: different passwords would share a hash.
  @IsWellFormedText({ message: 'The password contains a character that is not valid text.' })
  newPassword!: string;
}
