/**
 * Presence: a user is online while they have a socket open on any instance. The last
 * socket closing records `lastSeenAt`. Changes go to the people who would see them —
 * those who have the user in contacts or share a direct conversation with them — as far
 * as the user's "who sees my last seen" and blocks allow.
 */
import type { Prisma } from '../../core/db/database.js';
import type { EventBus } from '../../core/events.js';
import type { OnlineSource } from '../../core/loaders.js';
import type { PresenceStore } from './presence.store.js';

export class PresenceService implements OnlineSource {
  constructor(
    private readonly prisma: Prisma,
    private readonly store: PresenceStore,
    private readonly bus: EventBus,
  ) {}

  async connected(userId: string): Promise<void> {
    if (await this.store.connect(userId)) await this.announce(userId, true, null);
  }

  async disconnected(userId: string): Promise<void> {
    if (!(await this.store.disconnect(userId))) return;
    const lastSeenAt = new Date();
    await this.prisma.user.updateMany({ where: { id: userId }, data: { lastSeenAt } });
    await this.announce(userId, false, lastSeenAt);
  }

  online(userIds: readonly string[]): Promise<boolean[]> {
    return this.store.online(userIds);
  }

  private async announce(userId: string, online: boolean, lastSeenAt: Date | null): Promise<void> {
    const audience = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT other.id
      FROM users me
      JOIN users other ON other.id <> me.id
      WHERE me.id = ${userId}::uuid
        AND (
          EXISTS (SELECT 1 FROM contacts c WHERE c.owner_id = other.id AND c.contact_id = me.id)
          OR EXISTS (SELECT 1 FROM conversations cv
                     JOIN memberships a ON a.conversation_id = cv.id AND a.user_id = me.id
                     JOIN memberships b ON b.conversation_id = cv.id AND b.user_id = other.id
                     WHERE cv.kind = 'DIRECT')
        )
        AND NOT EXISTS (SELECT 1 FROM blocks bl WHERE bl.blocker_id = me.id AND bl.blocked_id = other.id)
        AND (
          me.who_sees_last_seen = 'EVERYONE'
          OR (me.who_sees_last_seen = 'CONTACTS'
              AND EXISTS (SELECT 1 FROM contacts c WHERE c.owner_id = me.id AND c.contact_id = other.id))
        )`;
    this.bus.publish([userId, ...audience.map((row) => row.id)], { type: 'PRESENCE', userId, online, lastSeenAt });
  }
}
