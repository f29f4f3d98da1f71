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
  private closing = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly prisma: Prisma,
    private readonly store: PresenceStore,
    private readonly bus: EventBus,
  ) {}

  connected(userId: string): Promise<void> {
    return this.track(async () => {
      if (await this.store.connect(userId)) await this.announce(userId, true, null);
    });
  }

  disconnected(userId: string): Promise<void> {
    return this.track(async () => {
      if (!(await this.store.disconnect(userId))) return;
      const lastSeenAt = new Date();
      await this.prisma.user.updateMany({ where: { id: userId }, data: { lastSeenAt } });
      await this.announce(userId, false, lastSeenAt);
    });
  }

  /**
   * Stops counting and waits for the updates under way, before the database and Redis
   * close under them. Sockets closed by the shutdown itself are not news: the store
   * gives this instance's counts back in one go.
   */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.inFlight]);
    await this.store.close();
  }

  private track(work: () => Promise<void>): Promise<void> {
    if (this.closing) return Promise.resolve();
    const running = work().finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    return running;
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
