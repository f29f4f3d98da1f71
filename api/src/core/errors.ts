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
  /**
   * The request body is larger than the server accepts (HTTP 413; app/http-errors.ts), or an
   * upload is over its purpose's size or pixel limit (modules/media: `extensions.limit`, `max`).
   */
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /**
   * A token from a mailed link is unknown, used, expired or superseded by a newer one
   * (modules/accounts/email-tokens.ts); a second-step sign-in challenge likewise. Ask for a new one.
   */
  InvalidToken = 'INVALID_TOKEN',
  /**
   * The password was right and the account has two-factor sign-in on: `extensions.challenge`
   * goes to `completeLogin` with a code from the authenticator app or a recovery code.
   */
  TwoFactorRequired = 'TWO_FACTOR_REQUIRED',
  /**
   * A dependency failed for a moment (the database unreachable or its pool timing out, Redis
   * not answering, a transaction that lost a conflict: {@link isTransient}). Retrying the same
   * request after `extensions.retryAfter` seconds may well succeed; a send retried with the
   * same clientMsgId is never stored twice.
   */
  Unavailable = 'UNAVAILABLE',
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
export const invalidToken = (message = 'This link or code is no longer valid: ask for a new one.') => new AppError(ErrorCode.InvalidToken, message);
export const twoFactorRequired = (challenge: string, expiresAt: Date) =>
  new AppError(ErrorCode.TwoFactorRequired, 'Enter the code from your authenticator app.', { challenge, expiresAt: expiresAt.toISOString() });
export const limitExceeded = (limit: string, max: number, message: string) =>
  new AppError(ErrorCode.LimitExceeded, message, { limit, max });
export const unavailable = (retryAfterSeconds = UNAVAILABLE_RETRY_AFTER_SECONDS) =>
  new AppError(ErrorCode.Unavailable, `The service is briefly unavailable. Try again in ${retryAfterSeconds} s.`, {
    retryAfter: retryAfterSeconds,
  });
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(ErrorCode.RateLimited, `Too many attempts. Try again in ${retryAfterSeconds} s.`, {
    retryAfter: retryAfterSeconds,
  });

const CODES = new Set<string>(Object.values(ErrorCode));

/** What an UNAVAILABLE answer tells the client to wait: long enough for a pool or a reconnection to recover. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/**
 * Prisma's codes for a database out of reach: P1001 unreachable, P1002 timed out, P1008
 * operation timed out, P1017 connection closed, P2024 no pool connection in time, P2034
 * write conflict or deadlock.
 */
const TRANSIENT_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2034']);
/** The driver adapter's names for the same, on errors that Prisma reports under other codes. */
const TRANSIENT_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TransactionWriteConflict']);
/**
 * PostgreSQL's: connection exceptions (class 08), serialization failure, deadlock, too many
 * connections, and a server shutting down or starting (57P01–57P03).
 */
const TRANSIENT_SQLSTATE = /^(08[0-9A-Z]{3}|40001|40P01|53300|57P0[123])$/;
/** A socket that could not connect or was cut. */
const TRANSIENT_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/**
 * Errors that carry no code, by their message: pg-pool's and pg's lost or late connections,
 * and ioredis's commands that found no connection, lost it, or got no answer in time.
 */
const TRANSIENT_MESSAGES = [
  /^timeout exceeded when trying to connect$/,
  /^Connection terminated (unexpectedly|due to connection timeout)$/,
  /^Stream isn't writeable and enableOfflineQueue options is false$/,
  /^Connection is closed\.$/,
  /^Command timed out$/,
];
const TRANSIENT_NAMES = new Set(['MaxRetriesPerRequestError']);

/**
 * Whether `thrown` says a dependency failed for a moment rather than that the request or
 * the code is wrong: the one place that decides UNAVAILABLE. The error and its causes are
 * looked at (a driver's error wrapped by Prisma, a pool's wrapped by the pool).
 */
export function isTransient(thrown: unknown): boolean {
  let error = thrown;
  for (let depth = 0; depth < 4 && error instanceof Error; depth++) {
    if (transientItself(error)) return true;
    error = error instanceof GraphQLError ? error.originalError : error.cause;
  }
  return false;
}

function transientItself(error: Error): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return TRANSIENT_PRISMA_CODES.has(error.errorCode ?? '');
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const meta = error.meta as { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } } | undefined;
    const cause = meta?.driverAdapterError?.cause;
    return TRANSIENT_PRISMA_CODES.has(error.code) || TRANSIENT_ADAPTER_KINDS.has(cause?.kind ?? '') || TRANSIENT_SQLSTATE.test(cause?.originalCode ?? '');
  }
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && (TRANSIENT_SOCKET_CODES.has(code) || (error instanceof pg.DatabaseError && TRANSIENT_SQLSTATE.test(code)))) return true;
  return TRANSIENT_NAMES.has(error.name) || TRANSIENT_MESSAGES.some((pattern) => pattern.test(error.message));
}

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

/**
 * Whether `error` says a write referred, in `table`.`column`, to a row that is not there (a
 * foreign key violation, PostgreSQL's 23503) — one deleted since the caller looked, say: from
 * Prisma (P2003, or P2010 from a raw statement) or from a statement sent to the pool directly
 * (core/db/sql.ts). The key is known by its name, `<table>_<column>_fkey`, as Prisma names it and
 * the migrations keep it.
 */
export function foreignKeyViolated(error: unknown, table: string, column: string): boolean {
  const name = `${table}_${column}_fkey`;
  if (error instanceof pg.DatabaseError) return error.code === '23503' && error.constraint === name;
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const meta = error.meta as { driverAdapterError?: { cause?: { kind?: string; constraint?: { index?: string } } } } | undefined;
  const cause = meta?.driverAdapterError?.cause;
  if (error.code !== 'P2003' && !(error.code === 'P2010' && cause?.kind === 'ForeignKeyConstraintViolation')) return false;
  return cause?.constraint?.index === name;
}

function indexColumn(index: string, table: string): string {
  return index.replace(`${table}_`, '').replace(/_key$/, '');
}

function camelColumn(column: string): string {
  return column.replace(/"/g, '').replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase());
}

/**
 * Maps any thrown value to one of our codes. Unique violations, Prisma's P2025 and
 * transient failures ({@link isTransient}) are translated here and only here.
 */
export function toAppError(thrown: unknown): AppError | GraphQLError {
  if (thrown instanceof AppError) return thrown;
  if (isTransient(thrown)) return unavailable();
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
