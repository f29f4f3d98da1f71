/**
 * The open WebSockets of each session, so that ending a session (logout, revoke,
 * expiry) on any instance closes its sockets on this one.
 */
import type { WebSocket } from 'ws';

/** WebSocket close codes, following graphql-ws. */
export enum CloseCode {
  Unauthorized = 4401,
}

export class SocketRegistry {
  private readonly bySession = new Map<string, Set<WebSocket>>();

  add(sessionId: string, socket: WebSocket): void {
    let sockets = this.bySession.get(sessionId);
    if (!sockets) this.bySession.set(sessionId, (sockets = new Set()));
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0 && this.bySession.get(sessionId) === sockets) this.bySession.delete(sessionId);
    });
  }

  /** Closes every socket of the given sessions with 4401. */
  closeSessions(sessionIds: Iterable<string>, reason = 'Session ended'): void {
    for (const id of sessionIds) {
      for (const socket of this.bySession.get(id) ?? []) socket.close(CloseCode.Unauthorized, reason);
    }
  }

  /** The sessions with a socket open here. */
  sessionIds(): string[] {
    return [...this.bySession.keys()];
  }

  get size(): number {
    let count = 0;
    for (const sockets of this.bySession.values()) count += sockets.size;
    return count;
  }
}
