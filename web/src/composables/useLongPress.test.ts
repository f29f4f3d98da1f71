import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LONG_PRESS_MS, stillPressing, useLongPress } from './useLongPress';

const touch = (x = 0, y = 0) => ({ pointerType: 'touch', clientX: x, clientY: y });

describe('useLongPress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs the action once a touch has lasted long enough', () => {
    const action = vi.fn();
    const press = useLongPress(action);
    press.start(touch());
    vi.advanceTimersByTime(LONG_PRESS_MS - 1);
    expect(action).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(action).toHaveBeenCalledOnce();
  });

  it('does nothing for a tap, a scroll or a mouse', () => {
    const action = vi.fn();
    const press = useLongPress(action);
    press.start(touch());
    press.cancel();
    press.start(touch(0, 0));
    press.move(touch(0, 40));
    press.start({ pointerType: 'mouse', clientX: 0, clientY: 0 });
    vi.advanceTimersByTime(LONG_PRESS_MS * 2);
    expect(action).not.toHaveBeenCalled();
  });

  it('lets a finger tremble a little', () => {
    expect(stillPressing({ x: 0, y: 0 }, { x: 3, y: 4 })).toBe(true);
    expect(stillPressing({ x: 0, y: 0 }, { x: 30, y: 0 })).toBe(false);
  });
});
