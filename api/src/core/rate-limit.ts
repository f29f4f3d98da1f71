/**
 * Rate limits on sensitive actions (rate-limiter-flexible): in memory for one
 * process, in Redis when several instances share REDIS_URL. A limited caller waits
 * out a sliding window; nobody is locked out for good.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { RateLimit } from '../config/env.js';
import { rateLimited } from './errors.js';

export class Limiter {
  constructor(private readonly limiter: RateLimiterAbstract) {}

  /** Counts one attempt for `key`; throws RATE_LIMITED with a retry-after when over the limit. */
  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw rateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
      }
      throw error;
    }
  }

  /** Throws RATE_LIMITED when `key` has no attempts left, without counting one. */
  async check(key: string): Promise<void> {
    const state = await this.limiter.get(key);
    if (state && state.remainingPoints <= 0) {
      throw rateLimited(Math.max(1, Math.ceil(state.msBeforeNext / 1000)));
    }
  }

  /** Forgets the attempts of `key` (after a successful login, say). */
  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

export function createLimiter(name: string, limit: RateLimit, redis: Redis | undefined): Limiter {
  const options = { keyPrefix: `dash:rl:${name}`, points: limit.points, duration: limit.durationSeconds };
  return new Limiter(redis ? new RateLimiterRedis({ ...options, storeClient: redis }) : new RateLimiterMemory(options));
}
