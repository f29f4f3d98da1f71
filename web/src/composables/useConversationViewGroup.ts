/**
 * What the viewer may do to a group member, by role (as the API enforces it): the owner
 * removes anyone and sets roles; an admin removes plain members; members do neither.
 */
import type { MemberRole } from '../graphql/messenger';

/** Whether the viewer may rename the group and add members. */
export function canManage(viewerRole: MemberRole): boolean {
  return viewerRole === 'OWNER' || viewerRole === 'ADMIN';
}

export function canRemove(viewerRole: MemberRole, memberRole: MemberRole, isSelf: boolean): boolean {
  if (isSelf) return false;
  return viewerRole === 'OWNER' || (viewerRole === 'ADMIN' && memberRole === 'MEMBER');
}

/** The roles the viewer may give this member (none when they may not change it). */
export function roleChoices(viewerRole: MemberRole, memberRole: MemberRole, isSelf: boolean): MemberRole[] {
  if (isSelf || viewerRole !== 'OWNER') return [];
  return (['OWNER', 'ADMIN', 'MEMBER'] as const).filter((role) => role !== memberRole);
}
