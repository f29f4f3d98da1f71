import { describe, expect, it } from 'vitest';
import { HandshakeGate } from './handshake-gate.js';

describe('HandshakeGate', () => {
  it('runs up to its bound at once, then queues in order, then refuses', () => {
    const gate = new HandshakeGate(2, 2);
    const started: number[] = [];
    const enter = (n: number) => gate.enter(() => started.push(n));
    expect([enter(1), enter(2), enter(3), enter(4), enter(5)]).toEqual([true, true, true, true, false]);
    expect(started).toEqual([1, 2]);
    expect(gate.size).toEqual({ running: 2, waiting: 2, peak: { running: 2, waiting: 2 } });

    gate.leave();
    expect(started).toEqual([1, 2, 3]);
    gate.leave();
    gate.leave();
    expect(started).toEqual([1, 2, 3, 4]);
    expect(gate.size).toMatchObject({ running: 1, waiting: 0 });
    gate.leave();
    expect(gate.size).toEqual({ running: 0, waiting: 0, peak: { running: 2, waiting: 2 } });
    expect(enter(6)).toBe(true);
    expect(started).toEqual([1, 2, 3, 4, 6]);
  });
});
