import { Arg, Authorized, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import { requireViewer, type Context } from '../../app/context.js';
import { ChangePasswordInput, ChangeUsernameInput, DeleteAccountInput } from './account-settings.inputs.js';
import { Me } from './accounts.types.js';

/** The signed-in person's password, user name, other sessions, and the account itself. */
@Resolver()
export class AccountSettingsResolver {
  @Authorized()
  @Mutation(() => Boolean, {
    description:
      'Changes the password. A wrong current password or a weak new one is BAD_USER_INPUT naming the field. ' +
      "Every other session of the account ends (their sockets close with 4401); this one stays. The account's address is told by mail.",
  })
  async changePassword(
    @Arg('input', () => ChangePasswordInput, { description: 'The current password and the new one.' }) input: ChangePasswordInput,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    await ctx.services.accountSettings.changePassword(requireViewer(ctx), input);
    return true;
  }

  @Authorized()
  @Mutation(() => Me, {
    description:
      'Changes the user name; the old one is free for others at once. A name taken in any case is CONFLICT; the same name again changes nothing. ' +
      'Limited per account (RATE_LIMITED with retryAfter).',
  })
  changeUsername(
    @Arg('input', () => ChangeUsernameInput, { description: 'The new user name.' }) input: ChangeUsernameInput,
    @Ctx() ctx: Context,
  ): Promise<Me> {
    return ctx.services.accountSettings.changeUsername(requireViewer(ctx), input.username);
  }

  @Authorized()
  @Mutation(() => Int, {
    description: "Ends every session of the signed-in user's but this one (their sockets close with 4401). Returns how many ended.",
  })
  signOutOtherSessions(@Ctx() ctx: Context): Promise<number> {
    return ctx.services.accountSettings.signOutOtherSessions(requireViewer(ctx));
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description:
      'Deletes the account for good: its groups are left (an owner hands over), its messages stay in the others\' history with `sender: null`, ' +
      'direct conversations stay with the other person, contacts and blocks go, every session ends. The user name and email are free again. ' +
      'Needs the password, and with two-factor sign-in on a code; a wrong one is BAD_USER_INPUT naming the field.',
  })
  async deleteAccount(
    @Arg('input', () => DeleteAccountInput, { description: 'The password, and a code when two-factor sign-in is on.' }) input: DeleteAccountInput,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    await ctx.services.accountDeletion.deleteAccount(requireViewer(ctx), input);
    return true;
  }
}
