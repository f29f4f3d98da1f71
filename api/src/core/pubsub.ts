/**
 * Pub/sub between API instances. In-process by default; with REDIS_URL through Redis.
 * Two layers: type-graphql 2's typed pub/sub for the few instance-wide notices (sessions
 * ended), and {@link EventChannels} for the event stream, where an instance follows only
 * the channels of its own subscribers' conversations and users (see events.ts).
 */
import { createPubSub } from '@graphql-yoga/subscription';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Redis } from 'ioredis';
import type { AppEvent } from './events.js';

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

/** An event and the users it is for (decided after the change committed). */
export interface EventEnvelope {
  recipients: string[];
  event: AppEvent;
  /** When it was published, in ms since the epoch by the publishing instance's clock: delivery lag is measured from it. */
  publishedAt: number;
}

/**
 * Not an event: the recipients now belong to a conversation (a direct one just started),
 * so their instances follow its channel. `seq` is the conversation's seq at that moment.
 */
export interface FollowEnvelope {
  recipients: string[];
  follow: { conversationId: string; seq: number };
}

export type Envelope = EventEnvelope | FollowEnvelope;

/**
 * Named channels of envelopes. An instance receives a channel's envelopes only while it
 * follows it; envelopes published on one connection arrive in the order published.
 */
export interface EventChannels {
  /** Whether an instance receives only the channels it follows (false within one process: it receives everything). */
  readonly selective: boolean;
  publish(channel: string, envelope: Envelope): void;
  /** Starts receiving `channels`; resolves once they hold (with Redis: once it acknowledged them). */
  follow(channels: string[]): Promise<void>;
  unfollow(channels: string[]): void;
  /** Where the envelopes of followed channels go. */
  listen(handler: (envelope: Envelope) => void): void;
}

/**
 * Channels within this process, the only instance: every envelope reaches the listener (on a
 * later tick, as from Redis), followed or not — there is no other instance to leave it to, and
 * a subscription is live the moment it is made.
 */
export function localChannels(): EventChannels {
  let handler: (envelope: Envelope) => void = () => {};
  return {
    selective: false,
    publish(_channel, envelope) {
      queueMicrotask(() => handler(envelope));
    },
    follow: async () => {},
    unfollow: () => {},
    listen(next) {
      handler = next;
    },
  };
}

const CHANNEL_PREFIX = 'dash:ev:';

/** Channels over Redis: `publish` is the bounded publisher below, the subscriber connection is shared with the typed pub/sub. */
function redisChannels(publish: (channel: string, message: string) => boolean, subscribeClient: Redis, onError: (error: Error) => void): EventChannels {
  let handler: (envelope: Envelope) => void = () => {};
  subscribeClient.on('message', (channel: string, message: string) => {
    if (!channel.startsWith(CHANNEL_PREFIX)) return; // the typed pub/sub's
    handler(reviveDates(JSON.parse(message) as Envelope));
  });
  return {
    selective: true,
    publish(channel, envelope) {
      publish(CHANNEL_PREFIX + channel, JSON.stringify(envelope));
    },
    async follow(channels) {
      // While Redis is away ioredis queues the command; it holds once answered.
      await subscribeClient.subscribe(...channels.map((channel) => CHANNEL_PREFIX + channel)).catch(onError);
    },
    unfollow(channels) {
      subscribeClient.unsubscribe(...channels.map((channel) => CHANNEL_PREFIX + channel)).catch(onError);
    },
    listen(next) {
      handler = next;
    },
  };
}

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

export interface PubSubHandle {
  pubSub: PubSub;
  /** The event stream's channels. */
  channels: EventChannels;
  /** Whether events cross instances right now: false while a Redis connection is down. Always true in-process. */
  connected(): boolean;
  /**
   * Calls `listener` each time this instance's subscriptions hold again after its connection
   * to Redis was lost: whatever was published meanwhile did not reach this instance.
   * @returns a function that stops listening
   */
  onResumed(listener: () => void): () => void;
  close(): Promise<void>;
}

/**
 * Publishes held for Redis while the publishing connection is down (ioredis's offline queue):
 * they go out late once it is back, and clients take them as any event (by seq). Past this
 * many, publishes are dropped rather than held in memory for the rest of a long outage; the
 * subscribers are told to sync once their instance's subscriptions hold again.
 */
export const MAX_HELD_PUBLISHES = 10_000;

/**
 * @param onError where Redis connection errors go (ioredis retries by itself; without a
 * listener it would report them as unhandled), and the notice that publishes are dropped.
 */
export function createAppPubSub(redisUrl: string | undefined, onError: (error: Error) => void = () => {}): PubSubHandle {
  if (!redisUrl) {
    return { pubSub: createPubSub<Topics>(), channels: localChannels(), connected: () => true, onResumed: () => () => {}, close: async () => {} };
  }
  // Never fails a publish: held while Redis is away (up to MAX_HELD_PUBLISHES), sent when it is back.
  // Events published in the same tick go out in one write.
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: null, enableAutoPipelining: true });
  // No ready check on the subscriber: it sends INFO after connecting, which Redis refuses once
  // the client is in subscriber mode, and the failed SUBSCRIBE then crashed the process
  // (redis/ioredis#2037: subscribing while the client still connects).
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: false });
  publishClient.on('error', onError);
  subscribeClient.on('error', onError);
  const target = createRedisEventTarget<CustomEvent>({
    publishClient,
    subscribeClient,
    serializer: { stringify: JSON.stringify, parse: (text) => reviveDates(JSON.parse(text) as unknown) },
  });
  const publish = boundedPublish(publishClient, onError);
  const subscriptions = watchSubscriptions(subscribeClient);
  return {
    // The target's own dispatchEvent leaves ioredis's promise unhandled, and would hold every
    // publish of an outage however long it lasts.
    pubSub: createPubSub<Topics>({ eventTarget: { ...target, dispatchEvent: (event) => publish(event.type, JSON.stringify(event.detail)) } }),
    channels: redisChannels(publish, subscribeClient, onError),
    connected: () => publishClient.status === 'ready' && subscriptions.hold(),
    onResumed: subscriptions.onResumed,
    async close() {
      subscriptions.stop();
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}

/** Publishes on `client`, holding at most MAX_HELD_PUBLISHES while it is not connected. */
function boundedPublish(client: Redis, onError: (error: Error) => void): (channel: string, message: string) => boolean {
  let held = 0;
  client.on('ready', () => (held = 0));
  return (channel, message) => {
    if (client.status !== 'ready' && ++held > MAX_HELD_PUBLISHES) {
      if (held === MAX_HELD_PUBLISHES + 1) onError(new Error(`Redis is away: ${MAX_HELD_PUBLISHES} events are held; more are dropped until it is back`));
      return false;
    }
    // Only a disconnect (the instance stopping) fails a held publish: there is nobody to tell then.
    client.publish(channel, message).catch(() => {});
    return true;
  };
}

/**
 * Follows the subscribing connection: its subscriptions `hold()` while it is connected and
 * they were taken again after the last reconnection; `onResumed` listeners hear when they do.
 */
function watchSubscriptions(client: Redis) {
  const listeners = new Set<() => void>();
  /** Connections lost so far: an answer that comes after another loss speaks of an old connection. */
  let losses = 0;
  let lost = false;
  const closed = () => {
    losses += 1;
    lost = true;
  };
  const ready = () => {
    if (!lost) return;
    const at = losses;
    // ioredis sent the SUBSCRIBEs again just before 'ready'; Redis answers in order, so once
    // this PING is answered, they hold.
    client.ping().then(
      () => {
        if (at !== losses) return; // lost again meanwhile: the next 'ready' asks again
        lost = false;
        for (const listener of listeners) listener();
      },
      () => {},
    );
  };
  client.on('close', closed);
  client.on('ready', ready);
  return {
    hold: () => !lost && client.status === 'ready',
    onResumed(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    stop() {
      listeners.clear();
      client.off('close', closed);
      client.off('ready', ready);
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
