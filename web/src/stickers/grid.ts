/** Moving through a grid of stickers with the keyboard (pure, unit-tested). */

/**
 * The index a key moves to in a grid of `count` items, `columns` wide; null for keys that do
 * not move. Arrows stop at the edges, Home and End go to the first and the last.
 */
export function gridMove(key: string, index: number, count: number, columns: number): number | null {
  if (count === 0) return null;
  const last = count - 1;
  switch (key) {
    case 'ArrowRight':
      return Math.min(last, index + 1);
    case 'ArrowLeft':
      return Math.max(0, index - 1);
    case 'ArrowDown':
      return index + columns <= last ? index + columns : index;
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index;
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

/** The share link of a pack, on this client's origin. */
export function shareLink(origin: string, slug: string): string {
  return `${origin}/stickers/${encodeURIComponent(slug)}`;
}

/** A list with the item at `from` moved to `to` (both clamped). */
export function moved<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  const target = Math.max(0, Math.min(next.length - 1, to));
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(target, 0, item);
  return next;
}
