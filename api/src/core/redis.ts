/**
 * The Redis connection for what answers within a request: rate limits and presence. The
 * pub/sub's own connections are made in pubsub.ts; they want the opposite trade-off
 * (hold on until Redis is back, never fail a publish).
 */
import { Redis } from 'ioredis';

/** How long a command may wait for Redis's answer before it counts as not answered. */
export const COMMAND_TIMEOUT_MS = 500;

/**
 * A connection for commands that a request waits on. While Redis is away they fail at once
 * (the caller falls back: local rate limits, this instance's presence) instead of waiting
 * in ioredis's offline queue for a reconnection, which cost every send ~3 s in an outage.
 * @param onError where connection errors go (ioredis retries by itself; without a listener it
 * would report them as unhandled)
 */
export function createCommandClient(url: string, onError: (error: Error) => void): Redis {
  const client = new Redis(url, {
    // Refused at once while not connected, rather than held until Redis is back.
    enableOfflineQueue: false,
    // A command under way when the connection drops fails then, rather than being sent again later.
    maxRetriesPerRequest: 0,
    // A Redis that keeps the connection but does not answer (stopped, swapping) costs this much, not forever.
    commandTimeout: COMMAND_TIMEOUT_MS,
    // Commands issued in the same tick (a send's two rate limits) share one write and one read.
    enableAutoPipelining: true,
  });
  client.on('error', onError);
  return client;
}
