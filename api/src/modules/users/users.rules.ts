/** What the viewer may learn about another user, following that user's privacy settings. */
import type { User as UserRow } from '../../generated/prisma/client.js';
import type { Relation } from '../../core/loaders.js';

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
