import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { requireViewer, type Context } from '../../app/context.js';
import { AuthPayload, Me } from './accounts.types.js';
import { BeginTwoFactorSetupInput, CompleteLoginInput, DisableTwoFactorInput, RegenerateRecoveryCodesInput } from './two-factor.inputs.js';
import { RecoveryCodes, TwoFactorSetup } from './two-factor.types.js';

@Resolver()
export class TwoFactorResolver {
  @Mutation(() => AuthPayload, {
    description:
      'Completes a sign-in that answered TWO_FACTOR_REQUIRED: its challenge and a code start the session. ' +
      'INVALID_TOKEN: the challenge expired (after 5 minutes) or was used; sign in with the password again. ' +
      'BAD_USER_INPUT on `code`: a wrong or already used code (the challenge stays usable). RATE_LIMITED: too many codes tried for the account.',
  })
  completeLogin(@Arg('input', () => CompleteLoginInput, { description: 'The challenge and the code.' }) input: CompleteLoginInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return ctx.services.accounts.completeLogin(input, ctx);
  }

  @Authorized()
  @Mutation(() => TwoFactorSetup, {
    description:
      'Starts turning two-factor sign-in on: a new secret for an authenticator app, pending until `confirmTwoFactorSetup`. ' +
      'Calling it again replaces the pending secret. CONFLICT when two-factor is on already.',
  })
  beginTwoFactorSetup(
    @Arg('input', () => BeginTwoFactorSetupInput, { description: 'The current password.' }) input: BeginTwoFactorSetupInput,
    @Ctx() ctx: Context,
  ): Promise<TwoFactorSetup> {
    return ctx.services.twoFactor.beginSetup(requireViewer(ctx), input.password);
  }

  @Authorized()
  @Mutation(() => RecoveryCodes, {
    description:
      'Turns two-factor sign-in on with a code from the app set up by `beginTwoFactorSetup`, and returns the recovery codes, shown this once. ' +
      "The account's other sessions end; this one stays. CONFLICT when no setup was begun or two-factor is on already.",
  })
  confirmTwoFactorSetup(
    @Arg('code', () => String, { description: 'The current 6-digit code from the authenticator app.' }) code: string,
    @Ctx() ctx: Context,
  ): Promise<RecoveryCodes> {
    return ctx.services.twoFactor.confirmSetup(requireViewer(ctx), code);
  }

  @Authorized()
  @Mutation(() => Me, {
    description: 'Turns two-factor sign-in off; the secret and the recovery codes are forgotten. CONFLICT when it is off.',
  })
  disableTwoFactor(
    @Arg('input', () => DisableTwoFactorInput, { description: 'The current password and a code.' }) input: DisableTwoFactorInput,
    @Ctx() ctx: Context,
  ): Promise<Me> {
    return ctx.services.twoFactor.disable(requireViewer(ctx), input);
  }

  @Authorized()
  @Mutation(() => RecoveryCodes, {
    description: 'Replaces all recovery codes, used or not, with new ones, shown this once. CONFLICT when two-factor is off.',
  })
  regenerateRecoveryCodes(
    @Arg('input', () => RegenerateRecoveryCodesInput, { description: 'The current password and a code.' }) input: RegenerateRecoveryCodesInput,
    @Ctx() ctx: Context,
  ): Promise<RecoveryCodes> {
    return ctx.services.twoFactor.regenerateRecoveryCodes(requireViewer(ctx), input);
  }
}
