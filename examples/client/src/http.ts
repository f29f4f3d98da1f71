/**
 * GraphQL over HTTP with `fetch`, the API's error codes, and when to try again.
 *
 * Three kinds of failure, handled differently:
 * - {@link ApiError}: the server answered with `extensions.code`. RATE_LIMITED and
 *   UNAVAILABLE say how long to wait (`extensions.retryAfter`, in seconds); any other code
 *   will fail the same way again.
 * - {@link NetworkError}: no answer (refused, reset, timed out, a proxy's 5xx). The request
 *   may or may not have been carried out, so only what is safe to repeat is retried: reads,
 *   and sends, which carry their clientMsgId.
 * - anything else is a bug, thrown as it is.
 */

/** An answer with an error code from the API (docs/API.md, "Errors"). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Seconds to wait before trying again, for RATE_LIMITED and UNAVAILABLE. */
  get retryAfter(): number | undefined {
    const seconds = this.extensions.retryAfter;
    return typeof seconds === 'number' && seconds >= 0 ? seconds : undefined;
  }
}

/** The request got no answer from the API. */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface RequestOptions {
  /** The session token, sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Give up waiting for an answer after this long. @default 15000 */
  timeoutMs?: number;
}

/** POSTs one operation to `endpoint` (…/graphql); returns its data or throws ApiError / NetworkError. */
export async function request<T>(endpoint: string, query: string, variables: Record<string, unknown>, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    text = await response.text();
  } catch (error) {
    throw new NetworkError(`no answer from ${endpoint}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  let answer: GraphQLAnswer<T>;
  try {
    answer = JSON.parse(text) as GraphQLAnswer<T>;
  } catch {
    // The API answers JSON in every case; anything else came from something in between.
    if (response.status >= 500 || response.status === 429) throw new NetworkError(`HTTP ${response.status} from ${endpoint}`);
    throw new ApiError(`HTTP_${response.status}`, `HTTP ${response.status} without a GraphQL answer`);
  }
  const [error] = answer.errors ?? [];
  if (error) {
    const extensions = error.extensions ?? {};
    throw new ApiError(typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR', error.message, extensions);
  }
  if (!answer.data) throw new ApiError('INTERNAL_SERVER_ERROR', 'an answer without data');
  return answer.data;
}

export interface Backoff {
  /** The first wait after a network failure; each further one doubles. @default 500 */
  firstMs?: number;
  /** The longest wait. @default 30000 */
  maxMs?: number;
}

/**
 * How long to wait before trying `error`'s request again (its `attempt`-th failure in a
 * row), or null when waiting cannot help. The server's own `retryAfter` is respected;
 * network failures back off exponentially. Both with jitter, so that clients cut off
 * together do not come back together.
 */
export function retryDelay(error: unknown, attempt: number, { firstMs = 500, maxMs = 30_000 }: Backoff = {}): number | null {
  if (error instanceof ApiError) {
    if (error.code !== 'RATE_LIMITED' && error.code !== 'UNAVAILABLE') return null;
    const seconds = error.retryAfter ?? 1;
    return seconds * 1000 + Math.random() * 250;
  }
  if (error instanceof NetworkError) return backoffDelay(attempt, { firstMs, maxMs });
  return null;
}

/** Exponential backoff with jitter: half to all of firstMs × 2^(attempt − 1), at most maxMs. */
export function backoffDelay(attempt: number, { firstMs = 500, maxMs = 30_000 }: Backoff = {}): number {
  const ceiling = Math.min(maxMs, firstMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

export interface RetryOptions extends Backoff {
  /** Told of each wait before it starts (for logs and a "retrying…" state). */
  onRetry?: (info: { attempt: number; waitMs: number; error: Error }) => void;
  /** Stops waiting: the pending attempt is not made and the error is thrown. */
  signal?: AbortSignal;
}

/**
 * Runs `operation` until it succeeds, waiting as {@link retryDelay} says between failures;
 * throws the first error that waiting cannot help. Only for operations that are safe to
 * repeat: a send must reuse its clientMsgId on every attempt.
 */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const waitMs = retryDelay(error, attempt, options);
      if (waitMs === null || options.signal?.aborted) throw error;
      options.onRetry?.({ attempt, waitMs: Math.round(waitMs), error: error as Error });
      await sleep(waitMs, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
