/**
 * Typed pub/sub. In-process by default; with REDIS_URL, events go through Redis so
 * every API instance sees every event (type-graphql 2's documented setup).
 */
import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { AppEvent } from './events.js';

export enum Topic {
  /** Sessions that were revoked or expired: every instance closes their sockets. */
  SessionsEnded = 'SESSIONS_ENDED',
  /** Events for users, with their recipients: each instance hands them to its own subscribers. */
  Events = 'EVENTS',
}

export interface SessionsEndedPayload {
  sessionIds: string[];
}

export type Topics = {
  [Topic.SessionsEnded]: [SessionsEndedPayload];
  [Topic.Events]: [EnvelopePayload];
};

/** An event and the users it is for (decided after the change committed). */
export interface EnvelopePayload {
  recipients: string[];
  event: AppEvent;
}

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

export interface PubSubHandle {
  pubSub: PubSub;
  close(): Promise<void>;
}

/**
 * @param onError where Redis connection errors go (ioredis retries by itself; without a
 * listener it would report them as unhandled).
 */
export function createAppPubSub(redisUrl: string | undefined, onError: (error: Error) => void = () => {}): PubSubHandle {
  if (!redisUrl) {
    return { pubSub: createPubSub<Topics>(), close: async () => {} };
  }
  // Events published in the same tick go out in one write.
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  // No ready check on the subscriber: it sends INFO after connecting, which Redis refuses once
  // the client is in subscriber mode, and the failed SUBSCRIBE then crashed the process
  // (redis/ioredis#2037: subscribing while the client still connects).
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: false });
  publishClient.on('error', onError);
  subscribeClient.on('error', onError);
  const eventTarget = createRedisEventTarget({
    publishClient,
    subscribeClient,
    serializer: { stringify: JSON.stringify, parse: (text) => reviveDates(JSON.parse(text) as unknown) },
  });
  return {
    pubSub: createPubSub<Topics>({ eventTarget }),
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT/;

/**
 * Dates travel through Redis as ISO strings; fields named `…At` come back as Dates. Only
 * the envelope, its event and the event's message are looked at: a JSON.parse reviver
 * would be called for every recipient id of a big room's event (and slows the parse).
 */
export function reviveDates<T>(value: T, depth = 0): T {
  if (depth > 2 || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = record[key];
    if (typeof field !== 'string') reviveDates(field, depth + 1);
    else if (key.endsWith('At') && ISO_TIME.test(field)) record[key] = new Date(field);
  }
  return value;
}
