/**
 * Presence: a user is online while they have a socket open on any instance. The last
 * socket closing records `lastSeenAt`. Changes go to the people who would see them —
 * those who have the user in contacts or share a direct conversation with them — as far
 * as the user's "who sees my last seen" and blocks allow.
 */
import type { Prisma } from '../../core/db/database.js';
import type { EventBus } from '../../core/events.js';
import type { OnlineSource } from '../../app/loaders.js';
import type { Logger } from '../../core/logger.js';
import type { PresenceCorrection, PresenceStore } from './presence.store.js';

export class PresenceService implements OnlineSource {
  private closing = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly prisma: Prisma,
    private readonly store: PresenceStore,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {
    store.onCorrection?.((correction) => void this.track(() => this.corrected(correction)));
  }

  /**
   * Counts one more socket of the user's; announces them online if it is their first. Never
   * fails: a count that Redis could not take is kept by the store and re-asserted once it can,
   * and a failed announcement is logged. So every call is to be paired with `disconnected`
   * when the socket closes, whatever happened here.
   */
  connected(userId: string): Promise<void> {
    return this.track(async () => {
      if (await this.store.connect(userId)) await this.announce(userId, true, null);
    });
  }

  /** Counts one socket less; the last one records lastSeenAt and announces them offline. Never fails. */
  disconnected(userId: string): Promise<void> {
    return this.track(async () => {
      if (await this.store.disconnect(userId)) await this.wentOffline(userId);
    });
  }

  /**
   * Announces what the store found changed while it could not count (Redis away): one user
   * after another, so that a restart of Redis with thousands online does not take the whole
   * database pool at once. Those who went offline are recorded as last seen now, when it was learnt.
   */
  private async corrected({ online, offline }: PresenceCorrection): Promise<void> {
    this.logger.info({ online: online.length, offline: offline.length }, 'presence corrected after Redis came back');
    for (const userId of online) await this.announce(userId, true, null);
    for (const userId of offline) await this.wentOffline(userId);
  }

  private async wentOffline(userId: string): Promise<void> {
    const lastSeenAt = new Date();
    await this.prisma.user.updateMany({ where: { id: userId }, data: { lastSeenAt } });
    await this.announce(userId, false, lastSeenAt);
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
    const running = work()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'presence update failed'))
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
    return running;
  }

  online(userIds: readonly string[]): Promise<boolean[]> {
    return this.store.online(userIds);
  }

  private async announce(userId: string, online: boolean, lastSeenAt: Date | null): Promise<void> {
    // Starts from the user's own contacts and direct conversations (both indexed), never from all users.
    const audience = await this.prisma.$queryRaw<{ id: string }[]>`
      WITH me AS (SELECT id, who_sees_last_seen FROM users WHERE id = ${userId}::uuid),
      candidates AS (
        SELECT c.owner_id AS id FROM contacts c WHERE c.contact_id = ${userId}::uuid
        UNION
        SELECT other.user_id FROM memberships mine
        JOIN conversations cv ON cv.id = mine.conversation_id AND cv.kind = 'DIRECT'
        JOIN memberships other ON other.conversation_id = mine.conversation_id AND other.user_id <> mine.user_id
        WHERE mine.user_id = ${userId}::uuid
      )
      SELECT candidates.id FROM candidates, me
      WHERE NOT EXISTS (SELECT 1 FROM blocks bl WHERE bl.blocker_id = me.id AND bl.blocked_id = candidates.id)
        AND (
          me.who_sees_last_seen = 'EVERYONE'
          OR (me.who_sees_last_seen = 'CONTACTS'
              AND EXISTS (SELECT 1 FROM contacts c WHERE c.owner_id = me.id AND c.contact_id = candidates.id))
        )`;
    this.bus.publish([userId, ...audience.map((row) => row.id)], { type: 'PRESENCE', userId, online, lastSeenAt });
  }
}
