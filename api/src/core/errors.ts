/**
 * The closed set of error codes the API returns in `extensions.code`. Clients switch
 * on these; they never change meaning. Each line says where the code comes from.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { ArgumentValidationError, AuthenticationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import pg from 'pg';
import { Prisma } from '../generated/prisma/client.js';

export enum ErrorCode {
  /** No valid session: missing, expired or revoked token; wrong credentials at login. */
  Unauthenticated = 'UNAUTHENTICATED',
  /** Signed in, but not allowed to do this. */
  Forbidden = 'FORBIDDEN',
  /** The thing does not exist or the caller may not know that it does. */
  NotFound = 'NOT_FOUND',
  /** A malformed request or argument; `extensions.fields` names each bad field. */
  BadUserInput = 'BAD_USER_INPUT',
  /** A unique value is taken (user name, email); `extensions.fields` names it. */
  Conflict = 'CONFLICT',
  /** Too many attempts; `extensions.retryAfter` says how many seconds to wait. */
  RateLimited = 'RATE_LIMITED',
  /**
   * A bound of the server was reached (`extensions.limit` names it, `extensions.max` is
   * its value): e.g. operations at once on one socket. Retrying the same thing fails the
   * same way until the client uses less (completes an operation).
   */
  LimitExceeded = 'LIMIT_EXCEEDED',
  /**
   * The HTTP request itself is malformed: a body that is not JSON or not an operation,
   * an unsupported charset or encoding, a subscription sent over HTTP (app/http-errors.ts,
   * app/graphql-guards.ts, Apollo's own checks such as CSRF prevention).
   */
  BadRequest = 'BAD_REQUEST',
  /** The request body is larger than the server accepts (HTTP 413; app/http-errors.ts). */
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /** Anything unexpected. The details are in the server log, never in the response. */
  Internal = 'INTERNAL_SERVER_ERROR',
}

/** One bad field of an input, with the rule it broke (class-validator's constraint names where they apply). */
export interface FieldProblem {
  field: string;
  constraint: string;
  message: string;
}

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const unauthenticated = (message = 'You need to sign in.', reason?: string) =>
  new AppError(ErrorCode.Unauthenticated, message, reason ? { reason } : {});
export const forbidden = (message = 'You are not allowed to do that.') => new AppError(ErrorCode.Forbidden, message);
export const notFound = (what = 'It') => new AppError(ErrorCode.NotFound, `${what} was not found.`);
export const badInput = (fields: FieldProblem[]) =>
  new AppError(ErrorCode.BadUserInput, fields.map((f) => f.message).join(' '), { fields });
export const conflict = (field: string, message: string) =>
  new AppError(ErrorCode.Conflict, message, { fields: [{ field, constraint: 'unique', message }] });
export const badRequest = (message: string) => new AppError(ErrorCode.BadRequest, message);
export const limitExceeded = (limit: string, max: number, message: string) =>
  new AppError(ErrorCode.LimitExceeded, message, { limit, max });
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(ErrorCode.RateLimited, `Too many attempts. Try again in ${retryAfterSeconds} s.`, {
    retryAfter: retryAfterSeconds,
  });

const CODES = new Set<string>(Object.values(ErrorCode));

/**
 * The field behind a GraphQL variable error, so these too name what is wrong:
 * `Variable "$input" got invalid value "KING" at "input.role"; …` → role.
 */
function variableProblem(message: string): FieldProblem | null {
  const invalid = /^Variable "\$(\w+)" got invalid value [\s\S]*?(?: at "([^"]+)")?; ([\s\S]*)$/.exec(message);
  if (invalid) {
    const [, name, path, reason] = invalid;
    return { field: path ? path.split('.').slice(1).join('.') || name! : name!, constraint: 'type', message: reason! };
  }
  const missing = /^Variable "\$(\w+)" of required type "[^"]+" was not provided\.$/.exec(message);
  return missing ? { field: missing[1]!, constraint: 'required', message } : null;
}

function validationProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({ field, constraint, message }));
    return [...own, ...validationProblems(error.children ?? [], `${field}.`)];
  });
}

/**
 * The field behind a unique violation, in the API's camelCase, or null for anything
 * else: Prisma's P2002 (or P2010 from a raw statement), or PostgreSQL's 23505 from a
 * statement sent to the pool directly (core/db/sql.ts). Both name the index, e.g.
 * "users_username_key" → "username".
 */
export function uniqueViolationField(error: unknown): string | null {
  if (error instanceof pg.DatabaseError) {
    if (error.code !== '23505') return null;
    return camelColumn(error.constraint && error.table ? indexColumn(error.constraint, error.table) : 'value');
  }
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const meta = error.meta as
    | { target?: string[] | string; driverAdapterError?: { cause?: { kind?: string; table?: string; constraint?: { index?: string; fields?: string[] } } } }
    | undefined;
  const cause = meta?.driverAdapterError?.cause;
  // A raw statement's violation comes as P2010 ("raw query failed") with the adapter's cause.
  if (error.code !== 'P2002' && !(error.code === 'P2010' && cause?.kind === 'UniqueConstraintViolation')) return null;
  const column =
    cause?.constraint?.fields?.[0] ??
    (cause?.constraint?.index && cause.table ? indexColumn(cause.constraint.index, cause.table) : undefined) ??
    (Array.isArray(meta?.target) ? meta.target[0] : meta?.target) ??
    'value';
  return camelColumn(column);
}

function indexColumn(index: string, table: string): string {
  return index.replace(`${table}_`, '').replace(/_key$/, '');
}

function camelColumn(column: string): string {
  return column.replace(/"/g, '').replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase());
}

/** Maps any thrown value to one of our codes. Unique violations and Prisma's P2025 are translated here and only here. */
export function toAppError(thrown: unknown): AppError | GraphQLError {
  if (thrown instanceof AppError) return thrown;
  if (thrown instanceof AuthenticationError) return unauthenticated();
  if (thrown instanceof ArgumentValidationError) {
    return badInput(validationProblems(thrown.extensions.validationErrors as ValidationError[]));
  }
  const field = uniqueViolationField(thrown);
  if (field) return conflict(field, `That ${field} is already taken.`);
  if (thrown instanceof Prisma.PrismaClientKnownRequestError && thrown.code === 'P2025') return notFound();
  if (thrown instanceof GraphQLError) {
    const variable = variableProblem(thrown.message);
    if (variable) return new AppError(ErrorCode.BadUserInput, thrown.message, { fields: [variable] });
    const code = String(thrown.extensions.code ?? '');
    if (CODES.has(code)) return thrown;
    // GraphQL's own parse and validation errors are the client's mistakes.
    if (/^(GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT|PERSISTED_QUERY_NOT_SUPPORTED|OPERATION_RESOLUTION_FAILURE)$/.test(code) || (!code && !thrown.originalError)) {
      return new AppError(ErrorCode.BadUserInput, thrown.message, { reason: code || 'GRAPHQL_VALIDATION_FAILED' });
    }
  }
  return new AppError(ErrorCode.Internal, 'Something went wrong on our side.');
}

/**
 * Apollo's `formatError`: every error leaves with one of our codes and nothing else
 * (no stack, SQL or token). Unexpected ones are logged with their cause first.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  logUnexpected: (error: unknown) => void,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const mapped = toAppError(original instanceof GraphQLError || original instanceof Error ? original : error);
  if (mapped.extensions.code === ErrorCode.Internal) logUnexpected(original);
  // `http` tells Apollo the response's status; it is not for the client.
  const { http: _status, ...extensions } = mapped.extensions;
  return {
    message: mapped.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions,
  };
}
