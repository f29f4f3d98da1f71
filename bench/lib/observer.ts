/**
 * The observer: one more API instance on the run's database and Redis that the generator
 * never talks to. It holds a single `events` subscription, of a user who belongs to no
 * conversation (the registered seed user), so no event of the run concerns any of its
 * subscribers: its CPU during a fan-out step is what an instance spends on other instances'
 * events, which should be nothing.
 */
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { EVENTS_TEXT, MESSAGE_FIELDS_TEXT } from '../../web/src/graphql/events.documents.js';
import { cpuNanosecondsOf } from './procstat.js';
import { startApiInstance, type ApiInstance } from './servers.js';

export interface Observer {
  /** CPU nanoseconds the instance has used so far, every thread. */
  cpuNanoseconds(): number;
  /** Events its subscriber received, by type: none is expected from the run's traffic. */
  eventsReceived(): Record<string, number>;
  stop(): Promise<void>;
}

/** How long the subscription may take to show in the instance's `/metrics`. */
const SUBSCRIBE_TIMEOUT_MS = 10_000;

/**
 * Starts the instance and subscribes as `token`'s user.
 * @param env the API instances' environment (same database, Redis and secret)
 */
export async function startObserver(env: Record<string, string>, nodeOptions: string[], token: string): Promise<Observer> {
  const instance = await startApiInstance(env, nodeOptions);
  const received: Record<string, number> = {};
  let failure: string | undefined;
  const client: Client = createClient({ url: instance.wsUrl, webSocketImpl: WebSocket, connectionParams: { token }, retryAttempts: 0 });
  client.subscribe(
    { query: EVENTS_TEXT + MESSAGE_FIELDS_TEXT },
    {
      next: (result) => {
        const type = (result.data as { events?: { __typename?: string } } | null)?.events?.__typename ?? 'unknown';
        received[type] = (received[type] ?? 0) + 1;
      },
      error: (error) => (failure = error instanceof Error ? error.message : JSON.stringify(error)),
      complete: () => {},
    },
  );
  try {
    await subscribed(instance, () => failure);
  } catch (error) {
    await client.dispose();
    await instance.stop();
    throw error;
  }
  return {
    cpuNanoseconds: () => cpuNanosecondsOf(instance.pid),
    eventsReceived: () => ({ ...received }),
    async stop() {
      await client.dispose();
      await instance.stop();
    },
  };
}

/** Resolves once the instance counts one live subscription (graphql-ws acknowledges none). */
async function subscribed(instance: ApiInstance, failure: () => string | undefined): Promise<void> {
  const deadline = performance.now() + SUBSCRIBE_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (failure()) throw new Error(`the observer's subscription failed: ${failure()}`);
    const metrics = await (await fetch(`${instance.url}/metrics`)).text();
    if (/^dash_subscriptions_active 1$/m.test(metrics)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the observer's subscription was not live after ${SUBSCRIBE_TIMEOUT_MS / 1000} s`);
}
