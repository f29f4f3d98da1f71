import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { requireViewer, type Context } from '../../app/context.js';
import { LoginInput, RegisterInput, UpdateProfileInput } from './accounts.inputs.js';
import { AuthPayload, Me, SessionInfo } from './accounts.types.js';

@Resolver()
export class AccountResolver {
  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in.' })
  register(@Arg('input', () => RegisterInput) input: RegisterInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return ctx.services.accounts.register(input, ctx);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Signs in with a user name or email and a password. Wrong credentials give UNAUTHENTICATED. ' +
      'When the account has two-factor sign-in on, a right password starts no session but answers TWO_FACTOR_REQUIRED: ' +
      'pass its `extensions.challenge` (valid until `extensions.expiresAt`) with a code to `completeLogin`.',
  })
  login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() ctx: Context): Promise<AuthPayload> {
    return ctx.services.accounts.login(input, ctx);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: 'Ends the current session and closes its sockets.' })
  async logout(@Ctx() ctx: Context): Promise<boolean> {
    const viewer = requireViewer(ctx);
    await ctx.services.sessions.revoke(viewer, viewer.sessionId);
    return true;
  }

  @Authorized()
  @Query(() => Me, { description: 'The signed-in user.' })
  me(@Ctx() ctx: Context): Promise<Me> {
    return ctx.services.accounts.me(requireViewer(ctx));
  }

  @Authorized()
  @Mutation(() => Me, { description: "Changes the signed-in user's profile and privacy settings." })
  updateProfile(@Arg('input', () => UpdateProfileInput) input: UpdateProfileInput, @Ctx() ctx: Context): Promise<Me> {
    return ctx.services.accounts.updateProfile(requireViewer(ctx), input);
  }

  @Authorized()
  @Query(() => [SessionInfo], { description: "The signed-in user's active sessions, most recently used first." })
  sessions(@Ctx() ctx: Context): Promise<SessionInfo[]> {
    return ctx.services.sessions.list(requireViewer(ctx));
  }

  @Authorized()
  @Mutation(() => Boolean, {
    description: "Ends one of the signed-in user's sessions (on any device) and closes its sockets.",
  })
  async revokeSession(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    await ctx.services.sessions.revoke(requireViewer(ctx), id);
    return true;
  }
}
