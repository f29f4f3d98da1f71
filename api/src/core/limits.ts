/**
 * Limits on the shape of an operation, applied on both the HTTP and the WebSocket
 * path, so a single request cannot make the server do unbounded work (graphql-armor),
 * and with them the check that its literals hold no text the database refuses.
 */
import {
  GraphQLError,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { noNulCharacters } from './input-guards.js';

export const OPERATION_LIMITS = {
  /** Deepest field nesting (introspection is exempt). */
  depth: 12,
  /** Aliased fields in one operation: stops "alias batching" of logins and the like. */
  aliases: 15,
  directives: 20,
  /**
   * graphql-armor's static cost (objects 2, scalars 1, × 1.5 per level of depth). The web
   * client's richest query — the conversation list with members, previews and their
   * replies — costs ~175,000; this leaves it room and still refuses wide, deep queries.
   */
  cost: 1_000_000,
} as const;

/** Report a breach as an ordinary validation error (graphql-armor would throw it, which reads as a crash). */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

/**
 * Introspection refused when the host turned it off, on both paths, saying how to turn it on
 * (Apollo's own rule covers only HTTP, and names an Apollo option instead of our variable).
 */
const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(new GraphQLError('Introspection is turned off on this server (GRAPHQL_INTROSPECTION=false).', { nodes: node }));
    }
  },
});

export interface OperationRuleOptions {
  /** Whether schema introspection (`__schema`, `__type`) is allowed. */
  introspection: boolean;
}

/** The rules every operation is validated with beyond GraphQL's own, on HTTP and WebSocket alike. */
export function operationRules({ introspection }: OperationRuleOptions): ValidationRule[] {
  return [
    ...(introspection ? [] : [noIntrospection]),
    maxDepthRule({ n: OPERATION_LIMITS.depth, ignoreIntrospection: true, ...asValidationError }),
    maxAliasesRule({ n: OPERATION_LIMITS.aliases, ...asValidationError }),
    maxDirectivesRule({ n: OPERATION_LIMITS.directives, ...asValidationError }),
    costLimitRule({ maxCost: OPERATION_LIMITS.cost, ignoreIntrospection: true, ...asValidationError }),
    noNulCharacters,
  ] as ValidationRule[];
}

/** graphql's `validate` with our rules added, for graphql-ws. */
export function validateOperation(schema: GraphQLSchema, document: DocumentNode, rules: readonly ValidationRule[]) {
  return validate(schema, document, [...specifiedRules, ...rules]);
}
