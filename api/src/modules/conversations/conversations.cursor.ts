/** Opaque cursors for paginated lists: base64url of the sort key. */
import { badInput } from '../../core/errors.js';

export interface Page<T> {
  nodes: T[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string, field: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(at);
    if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(date.getTime())) return { at: date, id };
  } catch {
    // reported below
  }
  throw badInput([{ field, constraint: 'isCursor', message: `${field} is not a cursor this API gave out.` }]);
}
