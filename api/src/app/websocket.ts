/**
 * graphql-ws over `ws` on the HTTP server's port, with the bounds a public socket needs
 * (graphql-ws's own `useServer` has none of them, and prints its errors as text):
 * - frames of at most {@link SOCKET_LIMITS.frameBytes}; a larger one closes the socket with 1009;
 * - per client address, a cap on open sockets and on sockets still in their handshake
 *   (upgrade → `connection_ack`); past either the upgrade is answered 429;
 * - from all addresses, {@link SOCKET_LIMITS.handshakesAtOnce} handshakes at once, the rest
 *   waiting their turn in order (a reconnect storm is taken in steps; 503 past the queue);
 * - before `connection_ack`, a small budget of messages and bytes (1008 past it), and a
 *   deadline for the whole handshake (4408);
 * - at most {@link SOCKET_LIMITS.operations} operations at once per socket (LIMIT_EXCEEDED);
 * - at most {@link SOCKET_LIMITS.bufferedBytes} waiting to go out to one client: past it
 *   the client is closed with 1013 and catches up by `sync` when it reconnects;
 * - errors of the transport go to the log as JSON, and an internal one closes with 1013,
 *   which clients retry.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecutionResult } from 'graphql';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { limitExceeded } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { HandshakeGate } from './handshake-gate.js';
import { Heartbeat } from './heartbeat.js';

/** The bounds of one socket; documented in the README's API section. */
export const SOCKET_LIMITS = {
  /** Largest frame (and message) a client may send: a 4,000-character message, escaped, fits many times over. */
  frameBytes: 64 * 1024,
  /** Operations (subscriptions, queries, mutations) running at once on one socket. */
  operations: 20,
  /** Messages a client may send before its `connection_ack` (an init and a few pings). */
  messagesBeforeAck: 8,
  /** Bytes a client may send before its `connection_ack`. */
  bytesBeforeAck: 16 * 1024,
  /** `connection_init` must arrive this soon after the upgrade (graphql-ws closes with 4408). */
  initWaitMs: 3_000,
  /** The handshake, sign-in included, must end this soon after the upgrade (4408). */
  handshakeMs: 10_000,
  /**
   * What may wait to go out to one client (ws's `bufferedAmount`: past what the kernel took).
   * A client this far behind is closed with 1013 and catches up by `sync` when it reconnects:
   * the server does not hold an ever longer backlog for a reader that stopped reading.
   */
  bufferedBytes: 1024 * 1024,
  /** A client closed for falling behind is cut off this long after, if it never reads its close frame. */
  closeGraceMs: 2_000,
  /** Handshakes (upgrade → `connection_ack`) running at once, from all addresses (see HandshakeGate). */
  handshakesAtOnce: 32,
  /** Upgrades waiting for their turn; past this they are answered 503 with Retry-After. */
  handshakesWaiting: 2_000,
  /**
   * A WebSocket ping this often (spread over the period, see heartbeat.ts) finds dead peers
   * within two periods and keeps proxies (nginx: 60 s) from closing idle sockets. Each ping is a
   * write and a read per socket (10,000 sockets at 15 s cost as much CPU as ~70 messages/s of
   * fan-out). The web client pings on its own every 10 s.
   */
  keepAliveMs: 30_000,
} as const;

export type SocketLimits = { -readonly [K in keyof typeof SOCKET_LIMITS]: number };

/** Close codes this transport uses beyond graphql-ws's own. */
export const TransportCloseCode = {
  /** RFC 6455: the client broke a policy (too much before its acknowledgement). */
  PolicyViolation: 1008,
  /** RFC 6455: try again later; graphql-ws clients retry on it. */
  TryAgainLater: 1013,
  GoingAway: 1001,
} as const;

export interface GraphQLWebSocketOptions<E extends Record<PropertyKey, unknown>> {
  httpServer: http.Server;
  path: string;
  logger: Logger;
  /** The client's address as the app sees it (behind a trusted proxy: the forwarded one). */
  clientIp(request: http.IncomingMessage): string;
  /** Bounds per client address. */
  perIp: { sockets: number; handshakes: number };
  /** Called once per socket with its upgrade request: what its operations need of it (the request is not kept). */
  extraOf(request: http.IncomingMessage): E;
  /** graphql-ws server options; the context's `extra` is `E & { socket }`. */
  server: ServerOptions<Record<string, unknown>, E & { socket: WebSocket }>;
  /** Bounds other than {@link SOCKET_LIMITS} (tests that must not race a handshake's deadlines). */
  limits?: Partial<SocketLimits>;
  /**
   * Hears each result graphql-ws sends as a `next` message (a subscription's event, a query's
   * answer) once its frame is written to the socket; not for one dropped because the socket
   * closed or fell behind.
   */
  onNextWritten?(result: ExecutionResult): void;
}

export interface GraphQLWebSocketServer {
  wss: WebSocketServer;
  /** Handshakes running now and upgrades waiting for their turn, and the most of each so far (see {@link SOCKET_LIMITS.handshakesAtOnce}). */
  handshakes(): HandshakeGate['size'];
  /** Closes every socket (1001) and stops accepting new ones. */
  dispose(): Promise<void>;
}

interface SocketState {
  ip: string;
  /** From the upgrade request to `connection_ack` or the end. */
  handshaking: boolean;
  /** Whether the handshake holds one of the gate's places (it may still be waiting for one). */
  inGate: boolean;
  /** Signed in: the next message sent is the `connection_ack`. */
  acknowledging: boolean;
  messagesBeforeAck: number;
  bytesBeforeAck: number;
  /** Messages graphql-ws is still handling: a subscription's lasts as long as the subscription. */
  handling: number;
  /** The results graphql-ws is about to send as `next` messages, in order, and whether each goes as shared bytes (see {@link SHARED_PAYLOAD}). */
  sendingNext: { result: ExecutionResult; shared: boolean }[];
}

/** Whether a key is seen for the first time this minute: a flood of refusals makes one log line, not thousands. */
function oncePerMinute(): { first(key: string): boolean } {
  let minute = 0;
  const seen = new Set<string>();
  return {
    first(key) {
      const now = Math.floor(Date.now() / 60_000);
      if (now !== minute) {
        minute = now;
        seen.clear();
      }
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
  };
}

/**
 * Whether graphql-ws's text is a `next` message, `{"id":…,"type":"next",…}`: it writes `id`
 * first, and an id, a JSON string, cannot hold an unescaped `","type":"`. A search of a few
 * characters, nothing parsed.
 */
function isNextMessage(data: string): boolean {
  const at = data.indexOf('","type":"');
  return at !== -1 && data.startsWith('next"', at + 10);
}

/**
 * What graphql-ws is given as a `next` message's payload: the socket's `send` puts the
 * result's own JSON in its place. graphql-ws would serialize an event's result once for
 * every recipient; one result shared by a thousand subscribers (events.sharing.ts) is
 * serialized once, and its bytes are written to every socket.
 */
const SHARED_PAYLOAD = Object.freeze({});
const SHARED_PAYLOAD_TAIL = '{}}';
const FRAME_END = Buffer.from('}');

/** Each result's payload as graphql-ws writes it (errors in their JSON form), encoded once. */
const payloads = new WeakMap<ExecutionResult, Buffer>();

function payloadOf(result: ExecutionResult): Buffer {
  let bytes = payloads.get(result);
  if (!bytes) {
    const { errors, ...rest } = result;
    payloads.set(result, (bytes = Buffer.from(JSON.stringify(errors ? { ...rest, errors: errors.map((e) => e.toJSON()) } : rest))));
  }
  return bytes;
}

/** The `next` frame graphql-ws wrote with {@link SHARED_PAYLOAD}, with the result's payload in its place. */
function nextFrame(data: string, result: ExecutionResult): Buffer {
  return Buffer.concat([Buffer.from(data.slice(0, -SHARED_PAYLOAD_TAIL.length)), payloadOf(result), FRAME_END]);
}

/** Answers an upgrade request with a plain HTTP error and drops the connection. */
function refuseUpgrade(socket: Duplex, status: number, reason: string, headers: Record<string, string> = {}): void {
  const lines = [`HTTP/1.1 ${status} ${reason}`, 'Connection: close', 'Content-Length: 0', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.end(`${lines.join('\r\n')}\r\n\r\n`);
}

export function serveGraphQLWebSocket<E extends Record<PropertyKey, unknown>>(options: GraphQLWebSocketOptions<E>): GraphQLWebSocketServer {
  const { httpServer, logger, perIp } = options;
  const limits: SocketLimits = { ...SOCKET_LIMITS, ...options.limits };
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.frameBytes, handleProtocols });
  const states = new Map<WebSocket, SocketState>();
  const openPerIp = new Map<string, number>();
  const handshakesPerIp = new Map<string, number>();
  const bump = (counts: Map<string, number>, ip: string, by: number) => {
    const next = (counts.get(ip) ?? 0) + by;
    if (next > 0) counts.set(ip, next);
    else counts.delete(ip);
  };
  const gate = new HandshakeGate(limits.handshakesAtOnce, limits.handshakesWaiting);
  // Pings spread over the period (see heartbeat.ts): a socket that did not answer the last one is gone.
  const heartbeat = new Heartbeat<WebSocket>(limits.keepAliveMs);
  const endHandshake = (state: SocketState) => {
    if (!state.handshaking) return;
    state.handshaking = false;
    bump(handshakesPerIp, state.ip, -1);
    if (state.inGate) gate.leave();
  };

  const onConnect = options.server.onConnect;
  const onSubscribe = options.server.onSubscribe;
  const onNext = options.server.onNext;
  const onNextWritten = options.onNextWritten;
  const server = makeServer<Record<string, unknown>, E & { socket: WebSocket }>({
    ...options.server,
    connectionInitWaitTimeout: limits.initWaitMs,
    async onConnect(ctx) {
      const permitted = await onConnect?.(ctx);
      const state = states.get(ctx.extra.socket);
      // The handshake ends as graphql-ws sends the acknowledgement (next, in `send`): the next in line starts after it.
      if (permitted !== false && state) state.acknowledging = true;
      return permitted;
    },
    onSubscribe(ctx, id, payload) {
      const max = limits.operations;
      // Two counts. The client's: its operations not yet completed (graphql-ws has already added
      // this one). The server's: messages still being handled, this one included — an operation
      // the client completed while it was being set up costs until its setup ends, and a client
      // that subscribes and completes faster than the server sets up would otherwise queue
      // unbounded work. Twice the client's bound leaves room for what is finishing.
      const state = states.get(ctx.extra.socket);
      if (Object.keys(ctx.subscriptions).length > max || (state && state.handling > 2 * max)) {
        return [limitExceeded('operationsPerSocket', max, `At most ${max} operations may run at once on one socket; complete one first.`)];
      }
      return onSubscribe?.(ctx, id, payload);
    },
    // graphql-ws calls onNext just before it writes the `next` message (with nothing awaited in
    // between but onNext itself): `send` pairs each such message with its result, in order.
    onNext(ctx, id, payload, args, result) {
      // A hook's own payload (errors formatted, say) goes as it is; otherwise the result's shared bytes.
      const pair = <T,>(own: T | void | null | undefined) => {
        states.get(ctx.extra.socket)?.sendingNext.push({ result, shared: !own });
        return own || SHARED_PAYLOAD;
      };
      const own = onNext?.(ctx, id, payload, args, result);
      return own instanceof Promise ? own.then(pair) : pair(own);
    },
  });

  const refusalLog = oncePerMinute();
  /** Raw sockets that became WebSockets: their counts are released when the WebSocket closes. */
  const accepted = new WeakSet<Duplex>();

  httpServer.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== options.path) return refuseUpgrade(socket, 404, 'Not Found');
    const ip = options.clientIp(request);
    if ((openPerIp.get(ip) ?? 0) >= perIp.sockets || (handshakesPerIp.get(ip) ?? 0) >= perIp.handshakes) {
      if (refusalLog.first(ip)) {
        logger.warn({ ip, open: openPerIp.get(ip) ?? 0, handshakes: handshakesPerIp.get(ip) ?? 0 }, 'refused WebSockets: too many from one address (logged once a minute per address)');
      }
      return refuseUpgrade(socket, 429, 'Too Many Requests', { 'Retry-After': '10' });
    }
    // Counted from here, so concurrent upgrades from one address cannot all slip under the cap.
    bump(openPerIp, ip, 1);
    bump(handshakesPerIp, ip, 1);
    const state: SocketState = { ip, handshaking: true, inGate: false, acknowledging: false, messagesBeforeAck: 0, bytesBeforeAck: 0, handling: 0, sendingNext: [] };
    socket.once('close', () => {
      // Dropped while waiting, or the upgrade failed (a bad handshake): no WebSocket was made to release its counts.
      if (accepted.has(socket)) return;
      bump(openPerIp, ip, -1);
      endHandshake(state);
    });
    const admitted = gate.enter(() => {
      if (!state.handshaking) return gate.leave(); // the client left while it waited
      state.inGate = true;
      wss.handleUpgrade(request, socket, head, (ws) => {
        accepted.add(socket);
        states.set(ws, state);
        ws.once('close', () => {
          endHandshake(state);
          bump(openPerIp, ip, -1);
          states.delete(ws);
          heartbeat.delete(ws);
        });
        open(ws, request, state);
      });
    });
    if (!admitted) {
      if (refusalLog.first('*')) logger.warn(gate.size, 'refused WebSockets: too many handshakes waiting (logged once a minute)');
      refuseUpgrade(socket, 503, 'Service Unavailable', { 'Retry-After': '5' });
    }
  });
  function open(ws: WebSocket, request: http.IncomingMessage, state: SocketState): void {
    // A protocol error (an over-size frame, invalid UTF-8): ws sends the close frame with the right code
    // (1009, 1007, 1002) and would then read on, discarding, until the client answers it; a client still
    // sending 90 MB would make the server allocate (and collect) 90 MB. The connection goes once the frame is out.
    ws.on('error', (error: Error & { code?: string }) => {
      logger.debug({ ip: state.ip, code: error.code }, 'WebSocket protocol error from a client');
      setImmediate(() => ws.terminate());
    });
    heartbeat.add(ws);
    ws.on('pong', () => heartbeat.answered(ws));
    const handshakeDeadline = setTimeout(() => {
      if (state.handshaking) ws.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }, limits.handshakeMs);
    handshakeDeadline.unref();

    const extra = { ...options.extraOf(request), socket: ws };
    const closed = server.opened(
      {
        protocol: ws.protocol,
        // Not awaiting the flush: events leave the subscription's queue as soon as they are executed,
        // and a reader that falls behind shows in `bufferedAmount`, which is bounded here.
        send: (data) => {
          const next = state.sendingNext.length > 0 && isNextMessage(data) ? state.sendingNext.shift() : undefined;
          if (ws.readyState !== ws.OPEN) return;
          if (ws.bufferedAmount > limits.bufferedBytes) return closeBehind(ws, state);
          // A text frame, as graphql-ws requires, though the shared payload comes as bytes.
          if (next?.shared) ws.send(nextFrame(data, next.result), { binary: false });
          else ws.send(data);
          if (next) onNextWritten?.(next.result);
          if (state.acknowledging) {
            state.acknowledging = false;
            endHandshake(state);
          }
        },
        close: (code, reason) => ws.close(code, reason),
        onMessage: (handle) =>
          ws.on('message', (data: Buffer, isBinary: boolean) => {
            if (state.handshaking) {
              state.messagesBeforeAck += 1;
              state.bytesBeforeAck += data.length;
              if (state.messagesBeforeAck > limits.messagesBeforeAck || state.bytesBeforeAck > limits.bytesBeforeAck) {
                ws.close(TransportCloseCode.PolicyViolation, 'Too much sent before connection_ack');
                return;
              }
            }
            state.handling += 1;
            handle(isBinary ? data.toString('utf8') : String(data))
              .catch((error: unknown) => {
                logger.error({ err: error }, 'unexpected error in a WebSocket message');
                ws.close(TransportCloseCode.TryAgainLater, 'Internal server error');
              })
              .finally(() => (state.handling -= 1));
          }),
      },
      extra,
    );
    ws.once('close', (code, reason) => {
      clearTimeout(handshakeDeadline);
      closed(code, String(reason)).catch((error: unknown) => logger.error({ err: error }, 'unexpected error closing a WebSocket'));
    });
  }

  /** Closes a socket whose client stopped reading; it is cut off if it does not take the close frame either. */
  function closeBehind(ws: WebSocket, state: SocketState): void {
    logger.info({ ip: state.ip, buffered: ws.bufferedAmount }, 'closed a WebSocket whose client fell behind');
    ws.close(TransportCloseCode.TryAgainLater, 'Too far behind: reconnect and sync');
    setTimeout(() => ws.terminate(), limits.closeGraceMs).unref();
  }


  let disposed: Promise<void> | undefined;
  return {
    wss,
    handshakes: () => gate.size,
    dispose() {
      disposed ??= new Promise<void>((resolve) => {
        heartbeat.stop();
        for (const ws of states.keys()) ws.close(TransportCloseCode.GoingAway, 'Server shutting down');
        wss.close(() => resolve());
      });
      return disposed;
    },
  };
}
