/**
 * A WebSocket that speaks graphql-ws by hand, for tests that must send what a
 * well-behaved client never would: frames before `connection_init`, garbage, too
 * many operations, over-size frames.
 */
import WebSocket from 'ws';

export interface RawSocket {
  ws: WebSocket;
  /** Resolves once the socket is open; rejects when the upgrade is refused (with its HTTP status). */
  opened: Promise<void>;
  /** Resolves with the first close, from either side. */
  closed: Promise<{ code: number; reason: string }>;
  /** Every message the server sent, parsed. */
  messages: { id?: string; type: string; payload?: unknown }[];
  /** Sends one graphql-ws message. */
  send(message: Record<string, unknown>): void;
  /** Resolves with the first message (already received or to come) that matches. */
  next(match: (message: { id?: string; type: string; payload?: unknown }) => boolean): Promise<{ id?: string; type: string; payload?: unknown }>;
}

export class UpgradeRefused extends Error {
  constructor(readonly status: number, readonly headers: Record<string, string | string[] | undefined>) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** @param options more of ws's client options (`generateMask`, say) */
export function rawSocket(wsUrl: string, headers: Record<string, string> = {}, options: WebSocket.ClientOptions = {}): RawSocket {
  const ws = new WebSocket(wsUrl, 'graphql-transport-ws', { ...options, headers });
  const messages: RawSocket['messages'] = [];
  const waiting = new Set<{ match: (m: RawSocket['messages'][number]) => boolean; resolve: (m: RawSocket['messages'][number]) => void }>();
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as RawSocket['messages'][number];
    messages.push(message);
    for (const waiter of waiting) {
      if (!waiter.match(message)) continue;
      waiting.delete(waiter);
      waiter.resolve(message);
    }
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => {
      reject(new UpgradeRefused(response.statusCode ?? 0, response.headers));
      response.resume();
      ws.terminate();
    });
    ws.once('error', reject);
  });
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) }));
  });
  return {
    ws,
    opened,
    closed,
    messages,
    send: (message) => ws.send(JSON.stringify(message)),
    next(match) {
      const seen = messages.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiting.add({ match, resolve }));
    },
  };
}
