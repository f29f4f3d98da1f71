import { IsEmail, Length, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { IsWellFormedText } from '../../core/text.validators.js';
import { PASSWORD_MAX } from './password.js';

@InputType({ description: "A change of the signed-in user's email address, confirmed by a link mailed to the new one." })
export class RequestEmailChangeInput {
  @Field(() => String, { description: 'The new email address; stored lower-cased and unique.' })
  @IsEmail({}, { message: 'Enter a valid email address.' })
  @MaxLength(254, { message: 'The email address is too long.' })
  @IsWellFormedText({ message: 'Enter a valid email address.' })
  newEmail!: string;

  @Field(() => String, { description: 'The current password, to show that the owner of the account asks.' })
  @Length(1, PASSWORD_MAX, { message: 'Enter your password.' })
  password!: string;
}
