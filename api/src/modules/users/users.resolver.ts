import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireViewer, type Context } from '../../app/context.js';
import type { User as UserRow } from '../../generated/prisma/client.js';
import { ContactInput, SearchUsersArgs, UsersByIdArgs } from './users.inputs.js';
import { canSeePresence } from './users.rules.js';
import { User } from './users.types.js';

@Authorized()
@Resolver(() => User)
export class UserResolver {
  @Query(() => [User], { description: "People whose user name starts with, or display name contains, the query — those whose \"who can find me\" lets the viewer find them." })
  searchUsers(@Args(() => SearchUsersArgs) { query, first }: SearchUsersArgs, @Ctx() ctx: Context): Promise<UserRow[]> {
    return ctx.services.users.search(requireViewer(ctx), query, first);
  }

  @Query(() => User, { nullable: true, description: 'A user by user name (any case), or null when there is none the viewer may see.' })
  user(@Arg('username', () => String) username: string, @Ctx() ctx: Context): Promise<UserRow | null> {
    return ctx.services.users.byUsername(requireViewer(ctx), username);
  }

  @Query(() => [User], {
    description:
      'Users by id, in the order given, each on the same terms as `user` (those the viewer may not see, and unknown ids, are left out). ' +
      "For reading people again, e.g. for fresh avatar URLs when the ones held ran out.",
  })
  users(@Args(() => UsersByIdArgs) { ids }: UsersByIdArgs, @Ctx() ctx: Context): Promise<UserRow[]> {
    return ctx.services.users.byIds(requireViewer(ctx), ids);
  }

  @Query(() => [User], { description: "The viewer's contacts, by display name." })
  contacts(@Ctx() ctx: Context): Promise<UserRow[]> {
    return ctx.services.users.contacts(requireViewer(ctx));
  }

  @Query(() => [User], { description: 'The users the viewer blocked.' })
  blockedUsers(@Ctx() ctx: Context): Promise<UserRow[]> {
    return ctx.services.users.blocked(requireViewer(ctx));
  }

  @Mutation(() => User, { description: 'Adds a user to the viewer\'s contacts, by id or user name. Adding twice is harmless.' })
  addContact(@Arg('input', () => ContactInput) input: ContactInput, @Ctx() ctx: Context): Promise<UserRow> {
    return ctx.services.users.addContact(requireViewer(ctx), input);
  }

  @Mutation(() => Boolean, { description: "Removes a user from the viewer's contacts." })
  async removeContact(@Arg('userId', () => ID) userId: string, @Ctx() ctx: Context): Promise<boolean> {
    await ctx.services.users.removeContact(requireViewer(ctx), userId);
    return true;
  }

  @Mutation(() => User, {
    description: 'Blocks a user: they can no longer start a direct conversation with the viewer, write to them or see their presence. They are not told.',
  })
  blockUser(@Arg('userId', () => ID) userId: string, @Ctx() ctx: Context): Promise<UserRow> {
    return ctx.services.users.block(requireViewer(ctx), userId);
  }

  @Mutation(() => Boolean, { description: 'Lifts a block.' })
  async unblockUser(@Arg('userId', () => ID) userId: string, @Ctx() ctx: Context): Promise<boolean> {
    await ctx.services.users.unblock(requireViewer(ctx), userId);
    return true;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether the user has the app open now; null when their "who sees my last seen" hides it from the viewer.' })
  async online(@Root() user: UserRow, @Ctx() ctx: Context): Promise<boolean | null> {
    if (!(await this.presenceVisible(user, ctx))) return null;
    return ctx.loaders.online.load(user.id);
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the user was last online; null when hidden from the viewer or never.' })
  async lastSeenAt(@Root() user: UserRow, @Ctx() ctx: Context): Promise<Date | null> {
    if (!(await this.presenceVisible(user, ctx))) return null;
    const fresh = await ctx.loaders.user.load(user.id);
    return fresh?.lastSeenAt ?? null;
  }

  @FieldResolver(() => Boolean, { description: "Whether the user is in the viewer's contacts." })
  async isContact(@Root() user: UserRow, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.relation.load(user.id)).viewerHasContact;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer blocked the user.' })
  async isBlocked(@Root() user: UserRow, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.relation.load(user.id)).viewerBlocked;
  }

  private async presenceVisible(user: UserRow, ctx: Context): Promise<boolean> {
    const viewerId = ctx.viewer?.userId ?? null;
    if (viewerId === user.id) return true;
    const full = await ctx.loaders.user.load(user.id);
    return full !== null && canSeePresence(viewerId, full, await ctx.loaders.relation.load(user.id));
  }
}
