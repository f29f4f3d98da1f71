/** The GraphQL schema, built from the resolvers, and its SDL as committed in schema.graphql. */
import path from 'node:path';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { repoRoot } from '../config/env.js';
import type { Context } from '../core/context.js';
import type { PubSub } from '../core/pubsub.js';
import { AccountResolver } from '../modules/accounts/accounts.resolver.js';
import { ConversationResolver, MemberResolver } from '../modules/conversations/conversations.resolver.js';
import {
  ConversationUpdatedEventResolver,
  EventResolver,
  MemberJoinedEventResolver,
  MemberLeftEventResolver,
  MemberRoleChangedEventResolver,
  PresenceEventResolver,
  ReadReceiptEventResolver,
  TypingEventResolver,
} from '../modules/events/events.resolver.js';
import { MessageResolver, SystemEventResolver } from '../modules/messages/messages.resolver.js';
import { UserResolver } from '../modules/users/users.resolver.js';

export const schemaFile = path.join(repoRoot, 'schema.graphql');

export function buildAppSchema(pubSub: PubSub): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      AccountResolver,
      UserResolver,
      ConversationResolver,
      MemberResolver,
      MessageResolver,
      SystemEventResolver,
      EventResolver,
      ReadReceiptEventResolver,
      TypingEventResolver,
      PresenceEventResolver,
      MemberLeftEventResolver,
      MemberRoleChangedEventResolver,
      MemberJoinedEventResolver,
      ConversationUpdatedEventResolver,
    ],
    authChecker: ({ context }: { context: Context }) => context.viewer !== null,
    pubSub,
    validate: { forbidUnknownValues: false, stopAtFirstError: true },
  });
}

const HEADER = `# Dash Messenger GraphQL API — generated from the code by \`npm run schema\`; do not edit.
# A test fails when this file differs from what the server serves.
`;

/** The SDL, sorted so that the file changes only when the schema does. */
export function printAppSchema(schema: GraphQLSchema): string {
  return `${HEADER}\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
