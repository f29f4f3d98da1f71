import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../app/context.js';
import { AuthPayload } from './accounts.types.js';
import { ResetPasswordInput } from './recovery.inputs.js';

@Resolver()
export class RecoveryResolver {
  @Mutation(() => Boolean, {
    description:
      'Mails a single-use link (valid 30 minutes) to set a new password, if an account has this user name or email. ' +
      'Always answers true, whether there is such an account or not. RATE_LIMITED: too many requests from this address.',
  })
  requestPasswordReset(
    @Arg('login', () => String, { description: 'User name or email address of the account.' }) login: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return ctx.services.recovery.requestReset(login, ctx);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Sets a new password with the token of a reset link, confirms the email address, ends every session of the ' +
      'account (their sockets close) and signs in. INVALID_TOKEN: the link was used, expired or superseded; ' +
      'TWO_FACTOR_REQUIRED: the password is set, and signing in needs the second step.',
  })
  resetPassword(@Arg('input', () => ResetPasswordInput) input: ResetPasswordInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return ctx.services.recovery.resetPassword(input, ctx);
  }
}
