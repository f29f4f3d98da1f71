/**
 * A Dash client: sign in over HTTP, one graphql-ws connection for the `events`
 * subscription, reads and sends over HTTP.
 *
 * The loop (docs/API.md, "A client's loop"):
 * 1. connect with the token in `connectionParams`; on every `connected` (the first and each
 *    reconnect) graphql-ws sends the `events` subscription again, and then we `sync`;
 * 2. apply events by seq (timeline.ts), filling gaps with `changes`;
 * 3. send from an outbox, in order, each message with a clientMsgId made once and reused on
 *    every retry, so a retry after a lost answer never stores it twice;
 * 4. a socket that drops is reconnected with backoff (graphql-ws does it); a close with 4401
 *    means the session ended: sign in again, nothing else helps.
 */
import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ApiError, backoffDelay, request, sleep, withRetry } from './http.js';
import { CHANGES, COMPLETE_LOGIN, EVENTS, LOGIN, SEND_MESSAGE, SYNC, type ConversationChanges, type Event, type SentMessage, type SignedIn, type SyncResult } from './operations.js';
import { Timeline, type TimelineListener } from './timeline.js';

/** The GraphQL endpoint of a server at `url` (`http://localhost:4000` → `…/graphql`). */
export function endpointOf(url: string): string {
  return new URL('/graphql', url).toString();
}

/**
 * Signs in with a user name (or email) and password. With two-factor sign-in on, the API
 * answers TWO_FACTOR_REQUIRED with a challenge: `code` (from the authenticator app, or a
 * recovery code) completes it; without one the ApiError is thrown for the caller to ask.
 */
export async function signIn(url: string, login: string, password: string, code?: string): Promise<SignedIn> {
  const endpoint = endpointOf(url);
  try {
    return (await request<{ login: SignedIn }>(endpoint, LOGIN, { input: { login, password } })).login;
  } catch (error) {
    const challenge = error instanceof ApiError && error.code === 'TWO_FACTOR_REQUIRED' ? error.extensions.challenge : undefined;
    if (typeof challenge !== 'string' || !code) throw error;
    return (await request<{ completeLogin: SignedIn }>(endpoint, COMPLETE_LOGIN, { input: { challenge, code } })).completeLogin;
  }
}

export interface ClientListener extends TimelineListener {
  /** The socket's state: `connected` after each acknowledgement, `disconnected` with the close code. */
  connection(state: 'connecting' | 'connected' | 'disconnected', closeCode?: number): void;
  /** An event that carries no seq: typing, presence, read receipts. */
  ephemeral(event: Event): void;
  /** A request failed for a moment and is tried again after `waitMs`. */
  retrying(operation: string, waitMs: number, reason: string): void;
  /** The client stopped for good: the session ended (4401), or the server refused the socket for good. */
  ended(reason: string): void;
}

export interface ClientOptions {
  /** The server, e.g. `http://localhost:4000`. */
  url: string;
  token: string;
  listener: ClientListener;
  /** Pings the server this often, and reconnects when no pong comes within half of it. @default 10000 */
  keepAliveMs?: number;
}

/** A signed-in client: start it, send with it, stop it. */
export class DashClient {
  private readonly endpoint: string;
  private readonly timeline: Timeline;
  private readonly stopped = new AbortController();
  private socket: Client | undefined;
  private outbox: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ClientOptions) {
    this.endpoint = endpointOf(options.url);
    const transport = {
      sync: (cursors: { conversationId: string; seq: number; hiddenSeq: number | null }[]) =>
        this.read<{ sync: SyncResult }>('sync', SYNC, { cursors }).then((data) => data.sync),
      changes: (conversationId: string, afterSeq: number, hiddenAfter: number | null) =>
        this.read<{ changes: ConversationChanges }>('changes', CHANGES, { conversationId, afterSeq, hiddenAfter }).then((data) => data.changes),
    };
    this.timeline = new Timeline(transport, options.listener);
  }

  /** Opens the connection and subscribes; catches up after it is acknowledged, and after every reconnect. */
  start(): void {
    const { listener, keepAliveMs = 10_000 } = this.options;
    let open: WebSocket | undefined;
    let pongWait: NodeJS.Timeout | undefined;
    this.socket = createClient({
      url: this.endpoint.replace(/^http/, 'ws'),
      // Node 20 has no stable global WebSocket; `ws` is graphql-ws's implementation on Node.
      webSocketImpl: WebSocket,
      connectionParams: () => ({ token: this.options.token }),
      lazy: false,
      keepAlive: keepAliveMs,
      // graphql-ws never retries the closes that retrying cannot mend (4401, 4409, 1008, 1009…);
      // everything else is retried, refused upgrades (429, 503) and unreachable servers too.
      retryAttempts: Infinity,
      shouldRetry: () => !this.stopped.signal.aborted,
      retryWait: (retries) => sleep(backoffDelay(retries + 1), this.stopped.signal),
      onNonLazyError: (error) => this.end(error),
      on: {
        connecting: () => listener.connection('connecting'),
        opened: (socket) => (open = socket as WebSocket),
        connected: () => {
          listener.connection('connected');
          // graphql-ws sends the subscription again right after this callback: catch up once it is on the wire.
          setImmediate(() => void this.timeline.catchUp());
        },
        closed: (event) => {
          clearTimeout(pongWait);
          listener.connection('disconnected', (event as { code?: number }).code);
        },
        // A socket that stops answering (a dead network path) is closed and reconnected.
        ping: (received) => {
          if (!received) pongWait = setTimeout(() => open?.close(4408, 'No pong'), keepAliveMs / 2);
        },
        pong: (received) => {
          if (received) clearTimeout(pongWait);
        },
      },
    });
    this.socket.subscribe<{ events: Event }>(
      { query: EVENTS },
      {
        next: ({ data, errors }) => {
          if (errors?.length) return listener.failed?.(new ApiError(String(errors[0]!.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), errors[0]!.message));
          if (!data) return;
          const { __typename } = data.events;
          if ('seq' in data.events || __typename === 'ConversationRemovedEvent' || __typename === 'MessageHiddenEvent' || __typename === 'SyncRequiredEvent') {
            void this.timeline.handle(data.events);
          } else {
            listener.ephemeral(data.events);
          }
        },
        error: (error) => this.end(error),
        complete: () => {},
      },
    );
  }

  /**
   * Sends a message after those sent before it (so they take their seqs in that order),
   * retrying with the same clientMsgId until the server has it. Resolves with the stored
   * message; rejects with an ApiError that retrying cannot mend (BAD_USER_INPUT, FORBIDDEN…).
   */
  send(conversationId: string, body: string, clientMsgId: string = randomUUID()): Promise<SentMessage> {
    const input = { conversationId, body, clientMsgId };
    const sent = this.outbox.then(() =>
      withRetry(() => request<{ sendMessage: SentMessage }>(this.endpoint, SEND_MESSAGE, { input }, { token: this.options.token }), {
        signal: this.stopped.signal,
        onRetry: ({ waitMs, error }) => this.options.listener.retrying('sendMessage', waitMs, reasonOf(error)),
      }).then((data) => data.sendMessage),
    );
    this.outbox = sent.catch(() => {});
    return sent;
  }

  /** Resolves once every event received so far has been applied (with its gap fills and syncs). */
  idle(): Promise<void> {
    return this.timeline.idle();
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    await this.socket?.dispose();
  }

  private read<T>(operation: string, query: string, variables: Record<string, unknown>): Promise<T> {
    return withRetry(() => request<T>(this.endpoint, query, variables, { token: this.options.token }), {
      signal: this.stopped.signal,
      onRetry: ({ waitMs, error }) => this.options.listener.retrying(operation, waitMs, reasonOf(error)),
    });
  }

  private end(error: unknown): void {
    if (this.stopped.signal.aborted) return;
    const code = (error as { code?: unknown }).code;
    this.options.listener.ended(code === 4401 ? 'session ended (4401): sign in again' : `connection refused for good: ${describeClose(error)}`);
    void this.stop();
  }
}

function reasonOf(error: Error): string {
  return error instanceof ApiError ? error.code : error.message;
}

function describeClose(error: unknown): string {
  if (error instanceof Error) return error.message;
  const { code, reason } = error as { code?: number; reason?: string };
  return code !== undefined ? `${code} ${reason ?? ''}`.trim() : String(error);
}
