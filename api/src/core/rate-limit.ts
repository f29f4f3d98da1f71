/**
 * Rate limits on sensitive actions (rate-limiter-flexible): in memory for one
 * process, in Redis when several instances share REDIS_URL. A limited caller waits
 * out a sliding window; nobody is locked out for good.
 *
 * Redis away does not stop anyone: each limit then counts in this instance's memory
 * (the same points per window, so with N instances a caller may get up to N times the
 * limit until Redis is back), and the log says so once per outage.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { RateLimit } from '../config/env.js';
import { rateLimited } from './errors.js';
import type { Logger } from './logger.js';

/**
 * Whether the limits are counted in Redis or, while it does not answer, per instance. One
 * per process, shared by all limits: the log says once that they fell back and once that
 * they are shared again, however many requests pass meanwhile.
 */
export class LimitsFallback {
  private since: Date | null = null;

  constructor(private readonly logger: Logger) {}

  /** Redis did not answer a limit's command. */
  fellBack(cause: unknown): void {
    if (this.since) return;
    this.since = new Date();
    this.logger.warn({ err: cause }, 'rate limits fell back to per-instance counts: Redis does not answer (logged once until it does)');
  }

  /** Redis answered a limit's command. */
  answered(): void {
    if (!this.since) return;
    this.logger.info({ since: this.since.toISOString() }, 'rate limits are counted in Redis again');
    this.since = null;
  }
}

export class Limiter {
  /**
   * @param limiter where the attempts are counted
   * @param standIn for a Redis limiter: this instance's own count, used while Redis does not answer
   */
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly standIn?: { limiter: RateLimiterMemory; fallback: LimitsFallback },
  ) {}

  /** Counts one attempt for `key`; throws RATE_LIMITED with a retry-after when over the limit. */
  async consume(key: string): Promise<void> {
    try {
      await this.run((limiter) => limiter.consume(key));
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw rateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
      }
      throw error;
    }
  }

  /** Throws RATE_LIMITED when `key` has no attempts left, without counting one. */
  async check(key: string): Promise<void> {
    const state = await this.run((limiter) => limiter.get(key));
    // The in-memory store keeps a spent window until its timer deletes it, which a busy
    // event loop runs late: a window whose time is up no longer limits.
    if (state && state.remainingPoints <= 0 && state.msBeforeNext > 0) {
      throw rateLimited(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
    }
  }

  /** Gives back one attempt of `key` (counted before an outcome that turned out not to count). */
  async refund(key: string): Promise<void> {
    await this.run((limiter) => limiter.reward(key, 1));
  }

  /** Forgets the attempts of `key` (after a successful login, say). */
  async reset(key: string): Promise<void> {
    await this.run((limiter) => limiter.delete(key));
  }

  /**
   * Runs `operation` on the limiter, or on the stand-in when Redis does not answer. Not
   * rate-limiter-flexible's own `insuranceLimiter`: that one hides whether Redis answered,
   * which is what ends an outage (and its log line).
   */
  private async run<T>(operation: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
    if (!this.standIn) return operation(this.limiter);
    const { limiter, fallback } = this.standIn;
    try {
      const result = await operation(this.limiter);
      fallback.answered();
      return result;
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        fallback.answered();
        throw error;
      }
      fallback.fellBack(error);
      return operation(limiter);
    }
  }
}

/**
 * A limit named `name`: in memory without `shared`, else in Redis with a per-instance stand-in.
 * The Redis client must fail fast while Redis is away (core/redis.ts), or each attempt waits for it.
 */
export function createLimiter(name: string, limit: RateLimit, shared?: { redis: Redis; fallback: LimitsFallback }): Limiter {
  const options = { keyPrefix: `dash:rl:${name}`, points: limit.points, duration: limit.durationSeconds };
  if (!shared) return new Limiter(new RateLimiterMemory(options));
  return new Limiter(new RateLimiterRedis({ ...options, storeClient: shared.redis }), { limiter: new RateLimiterMemory(options), fallback: shared.fallback });
}
