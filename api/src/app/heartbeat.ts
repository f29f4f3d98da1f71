/**
 * WebSocket pings that find dead peers and keep proxies from closing idle sockets, spread over
 * the period instead of sent all at once.
 *
 * Each ping is a write and its pong a read: one timer pinging every socket in one loop stalled
 * the event loop for as long as 10,000 writes take, every period, and whatever was being
 * delivered or answered in that moment waited (the benchmark's history pages and big-room
 * deliveries showed it in their p99). Here every socket gets a slot among {@link SLOT_MS}-long
 * slots in the period, and each tick pings one slot's sockets: each socket is still pinged once
 * per period, and a tick's work is a period's share of the sockets.
 */

/** How often a tick runs: the period is cut into slots this long (at most; one slot when the period is shorter). */
export const SLOT_MS = 250;

/** What the heartbeat needs of a socket (ws's WebSocket has both). */
export interface Pingable {
  ping(): void;
  /** Destroys the connection at once: a peer that does not answer pings will not read a close frame either. */
  terminate(): void;
}

export class Heartbeat<S extends Pingable> {
  private readonly slots: Map<S, { alive: boolean }>[];
  private readonly slotOf = new Map<S, Map<S, { alive: boolean }>>();
  private next = 0;
  private tick = 0;
  private readonly timer: NodeJS.Timeout;

  /** @param periodMs how often each socket is pinged; one that has not answered the previous ping by then is terminated */
  constructor(periodMs: number) {
    const count = Math.max(1, Math.round(periodMs / SLOT_MS));
    this.slots = Array.from({ length: count }, () => new Map());
    this.timer = setInterval(() => this.beat(), periodMs / count);
    this.timer.unref();
  }

  /** Starts pinging a socket; its first ping comes within one period. */
  add(socket: S): void {
    const slot = this.slots[this.next++ % this.slots.length]!;
    slot.set(socket, { alive: true });
    this.slotOf.set(socket, slot);
  }

  /** A pong (or anything else that proves the peer reads): the socket lives on. */
  answered(socket: S): void {
    const state = this.slotOf.get(socket)?.get(socket);
    if (state) state.alive = true;
  }

  delete(socket: S): void {
    this.slotOf.get(socket)?.delete(socket);
    this.slotOf.delete(socket);
  }

  /** How many sockets the next tick will ping (tests and the curious). */
  dueNext(): number {
    return this.slots[this.tick % this.slots.length]!.size;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    const slot = this.slots[this.tick++ % this.slots.length]!;
    for (const [socket, state] of slot) {
      if (!state.alive) {
        this.delete(socket);
        socket.terminate();
        continue;
      }
      state.alive = false;
      socket.ping();
    }
  }
}
