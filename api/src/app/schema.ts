/** The GraphQL schema, built from the resolvers, and its SDL as committed in schema.graphql. */
import path from 'node:path';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { validateOrReject, ValidationError, type ValidatorOptions } from 'class-validator';
import { ArgumentValidationError, buildSchema } from 'type-graphql';
import { repoRoot } from '../config/env.js';
import type { Context } from './context.js';
import type { PubSub } from '../core/pubsub.js';
import { AccountSettingsResolver } from '../modules/accounts/account-settings.resolver.js';
import { AccountResolver } from '../modules/accounts/accounts.resolver.js';
import { EmailAddressResolver } from '../modules/accounts/email-address.resolver.js';
import { RecoveryResolver } from '../modules/accounts/recovery.resolver.js';
import { TwoFactorResolver } from '../modules/accounts/two-factor.resolver.js';
import { ConversationResolver, MemberResolver } from '../modules/conversations/conversations.resolver.js';
import {
  ConversationUpdatedEventResolver,
  EventResolver,
  MemberJoinedEventResolver,
  MemberLeftEventResolver,
  MemberRoleChangedEventResolver,
  PresenceEventResolver,
  ProfileChangedEventResolver,
  ReadReceiptEventResolver,
  TypingEventResolver,
} from '../modules/events/events.resolver.js';
import { ConversationAvatarResolver, MediaResolver, MessageAttachmentsResolver, UserAvatarResolver } from '../modules/media/media.resolver.js';
import { MessageResolver, SystemEventResolver } from '../modules/messages/messages.resolver.js';
import { MessageStickerResolver, StickerPackResolver, StickerResolver } from '../modules/stickers/stickers.resolver.js';
import { UserResolver } from '../modules/users/users.resolver.js';

export const schemaFile = path.join(repoRoot, 'schema.graphql');

export function buildAppSchema(pubSub: PubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      AccountResolver,
      RecoveryResolver,
      EmailAddressResolver,
      AccountSettingsResolver,
      TwoFactorResolver,
      UserResolver,
      ConversationResolver,
      MemberResolver,
      MessageResolver,
      SystemEventResolver,
      MessageStickerResolver,
      StickerPackResolver,
      StickerResolver,
      EventResolver,
      ReadReceiptEventResolver,
      TypingEventResolver,
      PresenceEventResolver,
      ProfileChangedEventResolver,
      MemberLeftEventResolver,
      MemberRoleChangedEventResolver,
      MemberJoinedEventResolver,
      ConversationUpdatedEventResolver,
      MediaResolver,
      MessageAttachmentsResolver,
      UserAvatarResolver,
      ConversationAvatarResolver,
    ],
    authChecker: ({ context }: { context: Context }) => context.viewer !== null,
    pubSub,
    validateFn: validateArgument,
  });
}

const VALIDATOR_OPTIONS: ValidatorOptions = { forbidUnknownValues: false, stopAtFirstError: true, skipMissingProperties: true };

/**
 * Validates input objects with class-validator, as type-graphql's own validation does
 * with these options, but imported once: type-graphql imports class-validator anew
 * (`await import`) for every argument it validates, a cost on every request.
 */
async function validateArgument(value: unknown): Promise<void> {
  if (value === null || typeof value !== 'object') return;
  try {
    if (Array.isArray(value)) {
      await Promise.all(value.filter((item) => item !== null && typeof item === 'object').map((item: object) => validateOrReject(item, VALIDATOR_OPTIONS)));
    } else {
      await validateOrReject(value, VALIDATOR_OPTIONS);
    }
  } catch (errors) {
    // class-validator rejects with its ValidationErrors; anything else is a fault of a validator, not of the input.
    if (!Array.isArray(errors) || !errors.every((error) => error instanceof ValidationError)) throw errors;
    throw new ArgumentValidationError(errors);
  }
}

const HEADER = `# Dash Messenger GraphQL API — generated from the code by \`npm run schema\`; do not edit.
# A test fails when this file differs from what the server serves.
`;

/** The SDL, sorted so that the file changes only when the schema does. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${HEADER}\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
