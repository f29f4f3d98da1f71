import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat, SLOT_MS } from './heartbeat.js';

class Peer {
  pings = 0;
  terminated = false;
  ping() {
    this.pings += 1;
  }
  terminate() {
    this.terminated = true;
  }
}

describe('Heartbeat', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('pings every socket once a period, a slot at a time, never all at once', () => {
    const period = 30_000;
    const heartbeat = new Heartbeat<Peer>(period);
    const peers = Array.from({ length: 10_000 }, () => new Peer());
    for (const peer of peers) heartbeat.add(peer);
    const slots = period / SLOT_MS;
    let most = 0;
    for (let tick = 0; tick < slots; tick++) {
      const before = peers.reduce((sum, p) => sum + p.pings, 0);
      vi.advanceTimersByTime(SLOT_MS);
      most = Math.max(most, peers.reduce((sum, p) => sum + p.pings, 0) - before);
      for (const peer of peers) if (peer.pings > 0) heartbeat.answered(peer);
    }
    expect(peers.every((p) => p.pings === 1)).toBe(true);
    expect(most).toBe(Math.ceil(peers.length / slots));
    vi.advanceTimersByTime(period);
    expect(peers.every((p) => p.pings === 2 && !p.terminated)).toBe(true);
    heartbeat.stop();
  });

  it('terminates a socket that did not answer its last ping by its next one, and only that one', () => {
    const heartbeat = new Heartbeat<Peer>(1_000);
    const silent = new Peer();
    const answering = new Peer();
    heartbeat.add(silent);
    heartbeat.add(answering);
    vi.advanceTimersByTime(1_000);
    expect([silent.pings, answering.pings]).toEqual([1, 1]);
    heartbeat.answered(answering);
    vi.advanceTimersByTime(1_000);
    expect(silent.terminated).toBe(true);
    expect(silent.pings).toBe(1);
    expect(answering).toMatchObject({ terminated: false, pings: 2 });
    // Gone from the heartbeat: never pinged or terminated again.
    vi.advanceTimersByTime(5_000);
    expect(silent.pings).toBe(1);
    heartbeat.stop();
  });

  it('forgets a socket that closed', () => {
    const heartbeat = new Heartbeat<Peer>(500);
    const peer = new Peer();
    heartbeat.add(peer);
    heartbeat.delete(peer);
    vi.advanceTimersByTime(5_000);
    expect(peer).toMatchObject({ pings: 0, terminated: false });
    heartbeat.stop();
  });
});
