/**
 * Operations as the WebSocket path receives them: every client of one app subscribes
 * with the same text, so each text is parsed and validated (with the limits) once and
 * its document shared. graphql-ws would parse every subscription anew and keep its own
 * copy for as long as the subscription lives: the largest part of an idle connection's memory.
 */
import { GraphQLError, parse, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { validateOperation } from './limits.js';

export type CheckedDocument = DocumentNode | readonly GraphQLError[];

export interface CachedOperation {
  /** The operation's text, one copy for every client that sends it. */
  text: string;
  checked: CheckedDocument;
}

export class DocumentCache {
  private readonly entries = new Map<string, CachedOperation>();

  /**
   * @param rules validation rules beyond GraphQL's own (core/limits.ts `operationRules`)
   * @param capacity distinct operation texts kept; the oldest goes first @default 500
   */
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
    private readonly capacity = 500,
  ) {}

  /** The parsed, valid document for `query`, or the errors that make it unusable. */
  get(query: string): CachedOperation {
    const cached = this.entries.get(query);
    if (cached) return cached;
    let checked: CheckedDocument;
    try {
      const document = parse(query);
      const errors = validateOperation(this.schema, document, this.rules);
      checked = errors.length > 0 ? errors : document;
    } catch (error) {
      checked = [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
    }
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    const entry = { text: query, checked };
    this.entries.set(query, entry);
    return entry;
  }
}

export function isErrors(checked: CheckedDocument): checked is readonly GraphQLError[] {
  return Array.isArray(checked);
}
