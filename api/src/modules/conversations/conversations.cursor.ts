/** Opaque cursors for paginated lists: base64url of the sort key. */
import { badInput } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';

export interface Page<T> {
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

/**
 * The sort key of a cursor {@link encodeCursor} made. Anything else is refused here, not by
 * PostgreSQL: an id it cannot cast, or a time JavaScript accepts and it does not (the year 0).
 */
export function decodeCursor(cursor: string, field: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(at);
    const year = date.getUTCFullYear();
    // Made again from what it holds, it must come out the same: nothing added, nothing spelt otherwise.
    if (typeof id === 'string' && isUuid(id) && year >= 1 && year <= 9999 && encodeCursor(date, id) === cursor) return { at: date, id };
  } catch {
    // reported below
  }
  throw badInput([{ field, constraint: 'isCursor', message: `${field} is not a cursor this API gave out.` }]);
}
