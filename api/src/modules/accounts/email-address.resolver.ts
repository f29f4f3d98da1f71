import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { requireViewer, type Context } from '../../app/context.js';
import { Me } from './accounts.types.js';
import { RequestEmailChangeInput } from './email-address.inputs.js';

@Resolver(() => Me)
export class EmailAddressResolver {
  @Mutation(() => Boolean, {
    description: 'Confirms an email address with the token of the link mailed to it; no sign-in needed. INVALID_TOKEN: used, expired, superseded, or for an address the account no longer has.',
  })
  verifyEmail(@Arg('token', () => String, { description: 'The token from the mailed link (after `#token=`).' }) token: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.emailVerification.verify(token);
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: "Mails a new link to confirm the signed-in user's email address (true, without mail, when it is confirmed already). RATE_LIMITED past the account's mail budget.",
  })
  resendVerificationEmail(@Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.emailVerification.resend(requireViewer(ctx));
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      'Mails a link to the new address; the email changes when it is opened (`confirmEmailChange`). BAD_USER_INPUT on `password` ' +
      'when it is wrong; CONFLICT on `newEmail` when another account has the address; RATE_LIMITED past the mail budget.',
  })
  requestEmailChange(@Arg('input', () => RequestEmailChangeInput) input: RequestEmailChangeInput, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.emailChange.request(requireViewer(ctx), input);
  }

  @Mutation(() => Boolean, {
    description:
      'Makes the address a change link was mailed to the account\'s email, confirmed, and tells the old address; no sign-in needed. ' +
      'INVALID_TOKEN: used, expired or superseded; CONFLICT on `newEmail`: another account took the address meanwhile.',
  })
  confirmEmailChange(@Arg('token', () => String, { description: 'The token from the mailed link (after `#token=`).' }) token: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.emailChange.confirm(token);
  }

  @FieldResolver(() => String, { nullable: true, description: 'A new email address awaiting confirmation by its mailed link, if any.' })
  pendingEmail(@Root() me: Me, @Ctx() ctx: Context): Promise<string | null> {
    return ctx.services.emailChange.pendingEmail(me.id);
  }
}
