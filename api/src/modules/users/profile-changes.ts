/**
 * A person's profile as others show it — display name, user name, bio, picture — changes live
 * for everyone who shows them: their own other devices and the people connected to them
 * (UserService.connectedTo), each told by a ProfileChangedEvent on their own channel, as presence
 * is. Nothing is stored: a client that was away reads the people it shows again after a reconnect.
 */
import type { EventBus } from '../../core/events.js';
import type { Logger } from '../../core/logger.js';
import type { UserService } from './users.service.js';

export class ProfileChanges {
  constructor(
    private readonly users: Pick<UserService, 'connectedTo'>,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  /**
   * Tells everyone who shows `userId` that their profile changed. Call after the change committed.
   * Never fails: the change is made and answered whatever becomes of the news (logged), and the
   * others see it at their next load.
   */
  async changed(userId: string): Promise<void> {
    try {
      const audience = await this.users.connectedTo(userId);
      this.bus.publish([userId, ...audience], { type: 'PROFILE_CHANGED', userId });
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'a profile change was not announced');
    }
  }
}
