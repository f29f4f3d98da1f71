/**
 * A long press with a finger or a pen (not a mouse: that has right-click): `action` runs once
 * the pointer has stayed down and still for {@link LONG_PRESS_MS}. Moving or lifting it first
 * cancels, so scrolling the history never opens anything.
 */

/** How long a press must last, as Android's long press. */
export const LONG_PRESS_MS = 500;
/** How far the pointer may wander (px) and still be a press, not a scroll. */
export const LONG_PRESS_SLOP = 10;

interface PointerLike {
  pointerType: string;
  clientX: number;
  clientY: number;
}

/** Whether a pointer that went down at `from` and is now at `to` is still pressing, not dragging. */
export function stillPressing(from: { x: number; y: number }, to: { x: number; y: number }, slop = LONG_PRESS_SLOP): boolean {
  return Math.hypot(to.x - from.x, to.y - from.y) <= slop;
}

export function useLongPress(action: () => void, delay = LONG_PRESS_MS) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let origin = { x: 0, y: 0 };

  function cancel(): void {
    clearTimeout(timer);
    timer = undefined;
  }
  return {
    start(event: PointerLike): void {
      cancel();
      if (event.pointerType === 'mouse') return;
      origin = { x: event.clientX, y: event.clientY };
      timer = setTimeout(() => {
        timer = undefined;
        action();
      }, delay);
    },
    move(event: PointerLike): void {
      if (timer !== undefined && !stillPressing(origin, { x: event.clientX, y: event.clientY })) cancel();
    },
    cancel,
  };
}
