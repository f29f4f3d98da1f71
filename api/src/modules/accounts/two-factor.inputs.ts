import { Length, MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { PASSWORD_MAX } from './password.js';

/** Longer than any code a person types (a recovery code with spaces or dashes is about 15). */
const CODE_MAX = 64;
const CODE_MESSAGE = 'Enter the 6-digit code from your authenticator app or one of your recovery codes.';
const PASSWORD_MESSAGE = 'Enter your password.';

@InputType({ description: 'The second step of signing in to an account with two-factor sign-in on.' })
export class CompleteLoginInput {
  @Field(() => String, { description: 'The `challenge` from the TWO_FACTOR_REQUIRED error that `login` answered.' })
  @MinLength(1, { message: 'The sign-in challenge is missing: sign in with your password first.' })
  @MaxLength(128, { message: 'That is not a sign-in challenge.' })
  challenge!: string;

  @Field(() => String, { description: 'The current 6-digit code from the authenticator app, or an unused recovery code.' })
  @Length(1, CODE_MAX, { message: CODE_MESSAGE })
  code!: string;
}

@InputType({ description: 'Starts turning two-factor sign-in on.' })
export class BeginTwoFactorSetupInput {
  @Field(() => String, { description: "The signed-in user's current password." })
  @Length(1, PASSWORD_MAX, { message: PASSWORD_MESSAGE })
  password!: string;
}

/** Both factors: what turning two-factor off or replacing the recovery codes asks for (the schema has only its subclasses). */
@InputType()
abstract class BothFactorsInput {
  @Field(() => String, { description: "The signed-in user's current password." })
  @Length(1, PASSWORD_MAX, { message: PASSWORD_MESSAGE })
  password!: string;

  @Field(() => String, { description: 'The current 6-digit code from the authenticator app, or an unused recovery code.' })
  @Length(1, CODE_MAX, { message: CODE_MESSAGE })
  code!: string;
}

@InputType({ description: 'Proof of both factors, for turning two-factor sign-in off.' })
export class DisableTwoFactorInput extends BothFactorsInput {}

@InputType({ description: 'Proof of both factors, for replacing the recovery codes.' })
export class RegenerateRecoveryCodesInput extends BothFactorsInput {}
