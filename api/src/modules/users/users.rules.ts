/** What the viewer may learn about another user, following that user's privacy settings. */
import { badInput } from '../../core/errors.js';
import type { User as UserRow } from '../../generated/prisma/client.js';
import type { Relation } from '../../app/loaders.js';

/** Whether the viewer may see when `target` was last online, and whether they are online now. */
export function canSeePresence(viewerId: string | null, target: UserRow, relation: Relation): boolean {
  if (viewerId === target.id) return true;
  if (!viewerId || relation.theyBlocked) return false;
  switch (target.whoSeesLastSeen) {
    case 'EVERYONE':
      return true;
    case 'CONTACTS':
      return relation.theyHaveContact;
    case 'NOBODY':
      return false;
  }
}

/** Whether the viewer may start a direct conversation with `target`: not blocked, and allowed by their "who can message me". */
export function canStartDirect(target: UserRow, relation: Relation): boolean {
  if (relation.theyBlocked) return false;
  return target.whoCanMessage === 'EVERYONE' || relation.theyHaveContact;
}

/** A search query, trimmed: 1 or more characters and no control characters (PostgreSQL refuses NUL). */
export function searchText(query: string, field = 'query'): string {
  const text = query.trim();
  if (!text) throw badInput([{ field, constraint: 'isLength', message: 'Type something to search for.' }]);
  if (/[\u0000-\u001F\u007F]/.test(text)) {
    throw badInput([{ field, constraint: 'noControlCharacters', message: 'The search contains control characters.' }]);
  }
  return text;
}
