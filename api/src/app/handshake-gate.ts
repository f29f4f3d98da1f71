/**
 * How many WebSocket handshakes (upgrade → `connection_ack`) run at once. A reconnect storm
 * — every client of a restarted instance at the same moment — would otherwise start
 * thousands together: each a little work, all of it in the same turns of the event loop,
 * and health checks and live traffic wait behind it. Past `running`, upgrades wait their
 * turn in order; past `waiting` as well, they are refused (the caller answers 503 with
 * Retry-After, and clients retry with jitter).
 */
export class HandshakeGate {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  /** The most that ever ran at once and waited at once: what a storm looked like. */
  private readonly peak = { running: 0, waiting: 0 };

  /**
   * @param maxRunning handshakes at once
   * @param maxWaiting upgrades held back waiting for their turn
   */
  constructor(
    private readonly maxRunning: number,
    private readonly maxWaiting: number,
  ) {}

  /**
   * Starts `handshake` now or when a place frees up; false when even the queue is full.
   * Every started handshake must be followed by exactly one {@link leave}.
   */
  enter(handshake: () => void): boolean {
    if (this.running < this.maxRunning) {
      this.running += 1;
      this.peak.running = Math.max(this.peak.running, this.running);
      handshake();
      return true;
    }
    if (this.queue.length >= this.maxWaiting) return false;
    this.queue.push(handshake);
    this.peak.waiting = Math.max(this.peak.waiting, this.queue.length);
    return true;
  }

  /** A handshake ended (acknowledged, refused or dropped): the next in line starts. */
  leave(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running -= 1;
  }

  /** Handshakes running and waiting now, and the most of each there ever were. */
  get size(): { running: number; waiting: number; peak: { running: number; waiting: number } } {
    return { running: this.running, waiting: this.queue.length, peak: { ...this.peak } };
  }
}
