/**
 * The signed-in person's own sign-in settings: their password, their user name and their
 * other sessions. Deleting the account is in account-deletion.ts.
 */
import type { Prisma } from '../../core/db/database.js';
import { badInput, conflict, uniqueViolationField } from '../../core/errors.js';
import type { Limiter } from '../../core/rate-limit.js';
import type { Viewer } from '../../app/context.js';
import type { AccountMailer } from './account.mailer.js';
import { passwordChangedMail } from './account.mails.js';
import type { ChangePasswordInput } from './account-settings.inputs.js';
import { toMe, type AccountService } from './accounts.service.js';
import type { Me } from './accounts.types.js';
import type { EmailTokens } from './email-tokens.js';
import { hashPassword, passwordProblems } from './password.js';
import type { SessionService } from './sessions.service.js';
import type { ProfileChanges } from '../users/profile-changes.js';

const usernameTaken = () => conflict('username', 'This user name is taken.');

export class AccountSettingsService {
  /** @param usernameChanges counts each account's user name changes (RATE_LIMIT_USERNAME_CHANGE_PER_ACCOUNT) */
  constructor(
    private readonly prisma: Prisma,
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
    private readonly emailTokens: EmailTokens,
    private readonly mail: AccountMailer,
    private readonly usernameChanges: Limiter,
    private readonly profiles: Pick<ProfileChanges, 'changed'>,
  ) {}

  /**
   * Replaces the password, proven by the current one, by one that follows the registration's
   * rules. Whoever may have learnt the old password loses what it gave them: every other
   * session ends (the caller's stays), a pending email change, reset links and sign-ins
   * waiting for their second step are void.
   * The account's address is told.
   */
  async changePassword(viewer: Viewer, input: ChangePasswordInput): Promise<void> {
    const user = await this.accounts.confirmPassword(viewer, input.currentPassword, 'currentPassword');
    if (input.newPassword === input.currentPassword) {
      throw badInput([{ field: 'newPassword', constraint: 'notCurrent', message: 'The new password must differ from the current one.' }]);
    }
    const problems = passwordProblems(input.newPassword, user.username, 'newPassword');
    if (problems.length > 0) throw badInput(problems);

    const passwordHash = await hashPassword(input.newPassword);
    await this.prisma.$transaction(async (tx) => {
      await this.emailTokens.revoke(user.id, 'CHANGE_EMAIL', tx);
      // A reset link, or a sign-in half done with the old password, no longer leads in.
      await this.emailTokens.revoke(user.id, 'RESET_PASSWORD', tx);
      await tx.signInChallenge.deleteMany({ where: { userId: user.id } });
      await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    });
    await this.sessions.endAllOf(user.id, viewer.sessionId);
    this.mail.notify(user, user.email, passwordChangedMail, 'password-changed');
  }

  /**
   * Renames the account. The name follows the registration's rules and is unique regardless
   * of case; the old name is free for others at once. Giving the current name again changes
   * nothing; giving it in another case is a change like any other. Changes are limited per
   * account, so that names cannot be squatted or swapped in bulk.
   */
  async changeUsername(viewer: Viewer, username: string): Promise<Me> {
    const current = await this.accounts.me(viewer);
    if (current.username === username) return current;
    // Asked before counting, so that trying names that are taken costs nothing (citext compares regardless of case).
    const taken = await this.prisma.user.count({ where: { username, id: { not: viewer.userId } } });
    if (taken > 0) throw usernameTaken();
    await this.usernameChanges.consume(`account:${viewer.userId}`);
    let renamed: Me;
    try {
      renamed = toMe(await this.prisma.user.update({ where: { id: viewer.userId }, data: { username } }));
    } catch (error) {
      // Taken a moment ago by another change or a registration: the unique index decides.
      if (uniqueViolationField(error) === 'username') throw usernameTaken();
      throw error;
    }
    await this.profiles.changed(viewer.userId);
    return renamed;
  }

  /** Ends every session of the viewer's but the one asking, closing their sockets. @returns how many ended */
  signOutOtherSessions(viewer: Viewer): Promise<number> {
    return this.sessions.endAllOf(viewer.userId, viewer.sessionId);
  }
}
