/**
 * Health checks, for whatever decides where traffic goes (compose, a load balancer, an
 * orchestrator):
 * - `/healthz`, liveness: 200 while the process answers HTTP. It waits on nothing, so an
 *   outage of a dependency never gets a working instance restarted; its JSON says what is
 *   degraded, from the state of the Redis connections.
 * - `/readyz`, readiness: 200 when this instance can serve, which is when the database
 *   answers; 503 when it does not (within {@link READY_TIMEOUT_MS}).
 *
 * Redis away is `"redis": "degraded"` in both, never a 503. Redis is shared by every
 * instance, so its outage degrades all of them at once: taking them out of rotation would
 * turn a degraded service (messages are sent and stored, limits count per instance, live
 * delivery resumes with a sync) into none. The database is different: nothing works
 * without it, and an instance cut off from it alone should give its traffic to the others.
 */
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Database } from '../core/db/database.js';
import type { Logger } from '../core/logger.js';
import type { PubSubHandle } from '../core/pubsub.js';

/** How long `/readyz` waits for the database (compose's check gives up after 3 s). */
export const READY_TIMEOUT_MS = 2_000;

export interface HealthOptions {
  db: Pick<Database, 'kind' | 'ping'>;
  pubSub: Pick<PubSubHandle, 'connected'>;
  /** The rate limits' and presence's Redis connection; absent without REDIS_URL. */
  redis: Redis | undefined;
  logger: Logger;
}

type RedisState = { redis?: 'ok' | 'degraded' };

/** Mounts `/healthz` and `/readyz` on `app`. */
export function serveHealth(app: Express, { db, pubSub, redis, logger }: HealthOptions): void {
  app.get('/healthz', (_req, res) => {
    const state = redis ? { redis: redis.status === 'ready' && pubSub.connected() ? ('ok' as const) : ('degraded' as const) } : {};
    res.json({ status: state.redis === 'degraded' ? 'degraded' : 'ok', ...state });
  });

  app.get('/readyz', async (_req, res) => {
    const [database, redisState] = await Promise.all([within(db.ping(), READY_TIMEOUT_MS).then(() => null, (error: unknown) => error), redisAnswers()]);
    if (database !== null) {
      logger.warn({ err: database }, 'readiness check failed: the database does not answer');
      res.status(503).json({ status: 'unavailable', ...redisState });
      return;
    }
    res.json({ status: 'ready', database: db.kind, ...redisState });
  });

  /** Whether Redis answers a PING now (the command connection fails at once, or after its timeout, when it does not). */
  async function redisAnswers(): Promise<RedisState> {
    if (!redis) return {};
    const answers = await redis.ping().then(() => true, () => false);
    return { redis: answers && pubSub.connected() ? 'ok' : 'degraded' };
  }
}

/** `promise`, or a rejection once `ms` have passed. */
function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
