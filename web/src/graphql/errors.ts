import { ApolloError, type ServerError } from '@apollo/client/core';
import type { GraphQLFormattedError } from 'graphql';

/** The API's closed set of `extensions.code` values (api/src/core/errors.ts). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'LIMIT_EXCEEDED'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'INVALID_TOKEN'
  | 'TWO_FACTOR_REQUIRED'
  | 'UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'LIMIT_EXCEEDED',
  'BAD_REQUEST',
  'PAYLOAD_TOO_LARGE',
  'INVALID_TOKEN',
  'TWO_FACTOR_REQUIRED',
  'UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
]);

/** One bad field of an input, as `BAD_USER_INPUT` and `CONFLICT` list them. */
export interface FieldProblem {
  field: string;
  constraint: string;
  message: string;
}

/** What a `TWO_FACTOR_REQUIRED` answer hands on to `completeLogin`. */
export interface SignInChallenge {
  challenge: string;
  /** When the challenge stops working (ISO 8601). */
  expiresAt: string;
}

/** A failed request, reduced to what the UI needs. `NETWORK`: no GraphQL answer at all. */
export interface ClientError {
  code: ErrorCode | 'NETWORK';
  /** The server's message; empty for `NETWORK`, which the UI words itself. */
  message: string;
  fields: FieldProblem[];
  /** Seconds to wait before trying again, for `RATE_LIMITED` and `UNAVAILABLE`. */
  retryAfter?: number;
  /** The second step's challenge, for `TWO_FACTOR_REQUIRED`. */
  challenge?: SignInChallenge;
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && ERROR_CODES.has(code);
}

/** The error's code when it is one of ours. */
export function errorCode(error: GraphQLFormattedError): ErrorCode | undefined {
  const code = error.extensions?.code;
  return isErrorCode(code) ? code : undefined;
}

function isFieldProblem(value: unknown): value is FieldProblem {
  if (typeof value !== 'object' || value === null) return false;
  const { field, message } = value as Record<string, unknown>;
  return typeof field === 'string' && typeof message === 'string';
}

function isServerError(error: unknown): error is ServerError {
  return error instanceof Error && error.name === 'ServerError';
}

/**
 * The GraphQL errors of a result or a thrown error. A non-2xx response (a 429 from the
 * rate limiter, say) arrives as a network error whose body still holds them.
 */
export function graphQLErrorsOf(thrown: unknown): readonly GraphQLFormattedError[] {
  if (thrown instanceof ApolloError) {
    if (thrown.graphQLErrors.length > 0) return thrown.graphQLErrors;
    return graphQLErrorsOf(thrown.networkError);
  }
  if (isServerError(thrown) && typeof thrown.result === 'object' && thrown.result !== null) {
    const errors = (thrown.result as { errors?: unknown }).errors;
    if (Array.isArray(errors)) return errors as GraphQLFormattedError[];
  }
  return [];
}

/** Whether any of the errors has this code. */
export function hasErrorCode(errors: readonly GraphQLFormattedError[], code: ErrorCode): boolean {
  return errors.some((error) => errorCode(error) === code);
}

/** Reduces anything a request threw to a {@link ClientError}. */
export function toClientError(thrown: unknown): ClientError {
  const [first] = graphQLErrorsOf(thrown);
  if (!first) return { code: 'NETWORK', message: '', fields: [] };
  const { fields, retryAfter, challenge, expiresAt } = first.extensions ?? {};
  return {
    code: errorCode(first) ?? 'INTERNAL_SERVER_ERROR',
    message: first.message,
    fields: Array.isArray(fields) ? fields.filter(isFieldProblem) : [],
    ...(typeof retryAfter === 'number' ? { retryAfter } : {}),
    ...(typeof challenge === 'string' && typeof expiresAt === 'string' ? { challenge: { challenge, expiresAt } } : {}),
  };
}

/** The messages for one input field; paths like `input.login` match `login`. */
export function fieldMessages(error: ClientError | null, field: string): string[] {
  if (!error) return [];
  return error.fields.filter((f) => f.field === field || f.field.endsWith(`.${field}`)).map((f) => f.message);
}
