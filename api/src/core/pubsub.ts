/**
 * Typed pub/sub. In-process by default; with REDIS_URL, events go through Redis so
 * every API instance sees every event (type-graphql 2's documented setup).
 */
import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';

export enum Topic {
  /** Sessions that were revoked or expired: every instance closes their sockets. */
  SessionsEnded = 'SESSIONS_ENDED',
}

export interface SessionsEndedPayload {
  sessionIds: string[];
}

export type Topics = {
  [Topic.SessionsEnded]: [SessionsEndedPayload];
};

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

export interface PubSubHandle {
  pubSub: PubSub;
  close(): Promise<void>;
}

export function createAppPubSub(redisUrl: string | undefined): PubSubHandle {
  if (!redisUrl) {
    return { pubSub: createPubSub<Topics>(), close: async () => {} };
  }
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: null });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    pubSub: createPubSub<Topics>({ eventTarget }),
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
