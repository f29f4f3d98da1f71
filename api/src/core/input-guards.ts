/**
 * Text PostgreSQL cannot store never reaches it: a NUL character (U+0000) in any string
 * of an operation, inline or in its variables, is the client's mistake (BAD_USER_INPUT),
 * not a database error. Checked on the HTTP and the WebSocket path alike.
 */
import { GraphQLError, type ValidationRule } from 'graphql';
import { badInput, type AppError } from './errors.js';

const NUL = '\u0000';
const MESSAGE = 'Text may not contain the NUL character (U+0000).';

/** A validation rule: string literals in the document (`"\u0000"` is a valid GraphQL escape). */
export const noNulCharacters: ValidationRule = (context) => ({
  StringValue(node) {
    if (node.value.includes(NUL)) context.reportError(new GraphQLError(MESSAGE, { nodes: node }));
  },
});

/** The dotted path of the first string holding a NUL in `value` (variables, say), or null. */
export function nulPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes(NUL)) return path ? `${path}.${key}` : key;
    const found = nulPath(item, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

/**
 * BAD_USER_INPUT naming the field that holds a NUL, or null when there is none. The field is
 * named as for other bad input: `input.body` is `body`, a scalar variable by its own name.
 */
export function nulVariableError(variables: unknown): AppError | null {
  const path = nulPath(variables);
  if (path === null) return null;
  const field = path.split('.').slice(1).join('.') || path || 'variables';
  return badInput([{ field, constraint: 'noNulCharacter', message: MESSAGE }]);
}
