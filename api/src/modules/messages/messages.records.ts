/** What a SYSTEM message records, in `Message.event`. */
export type SystemEventRecord =
  | { type: 'GROUP_CREATED'; actorId: string; title: string }
  | { type: 'MEMBERS_ADDED'; actorId: string; userIds: string[] }
  | { type: 'MEMBER_REMOVED'; actorId: string; userId: string }
  | { type: 'MEMBER_LEFT'; actorId: string; userId: string; newOwnerId?: string }
  | { type: 'ROLE_CHANGED'; actorId: string; userId: string; role: 'OWNER' | 'ADMIN' | 'MEMBER' }
  | { type: 'TITLE_CHANGED'; actorId: string; title: string }
  /** A group's picture was set (`mediaId`) or removed (null). */
  | { type: 'AVATAR_CHANGED'; actorId: string; mediaId: string | null };
