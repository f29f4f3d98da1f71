/**
 * A forgotten password: a single-use link by mail (30 minutes), and the new password it sets.
 *
 * Asking for a link tells nothing about who has an account: every name, known or not, gets
 * the same answer after the same work (one lookup, the same budgets counted). What differs —
 * issuing the token and mailing it — happens after the answer has left.
 */
import type { Prisma } from '../../core/db/database.js';
import { badInput } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Limiter } from '../../core/rate-limit.js';
import { isWellFormedText } from '../../core/text.validators.js';
import { isRateLimited, type AccountMailer } from './account.mailer.js';
import { passwordChangedMail } from './account.mails.js';
import { normalizeEmail, type AccountService } from './accounts.service.js';
import type { AuthPayload } from './accounts.types.js';
import type { EmailTokens } from './email-tokens.js';
import { hashPassword, passwordProblems } from './password.js';
import type { ResetPasswordInput } from './recovery.inputs.js';
import type { ClientInfo, SessionService } from './sessions.service.js';

/** The longest user name or email a request may name (an address's limit). */
const LOGIN_MAX = 254;

/**
 * How long the reset's transaction may run: it hashes the new password (argon2id, tens of
 * milliseconds, far more on a busy machine) so that the token is used up only together
 * with the write, and the 5 s default could cut a slow hash short.
 */
const RESET_TRANSACTION_MS = 30_000;

export class RecoveryService {
  constructor(
    private readonly prisma: Prisma,
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
    private readonly tokens: EmailTokens,
    private readonly mail: AccountMailer,
    private readonly resetPerIp: Limiter,
    private readonly logger: Logger,
  ) {}

  /**
   * Mails a password reset link to the account `login` names (user name or email), if there
   * is one and its mail budget is not spent; answers true either way. RATE_LIMITED only for
   * the caller's address, which says nothing about the account.
   */
  async requestReset(login: string, client: ClientInfo): Promise<true> {
    const name = login.trim();
    if (!name || name.length > LOGIN_MAX || !isWellFormedText(name)) {
      throw badInput([{ field: 'login', constraint: 'isLength', message: 'Enter your user name or email.' }]);
    }
    await this.resetPerIp.consume(client.ip ?? 'unknown');
    const byEmail = name.includes('@');
    const key = byEmail ? normalizeEmail(name) : name.toLowerCase();
    const user = await this.prisma.user.findFirst({ where: byEmail ? { email: key } : { username: name } });
    // A name nobody has is counted like an account, so that it costs the same.
    const allowed = await this.mail.spend(user ? `account:${user.id}` : `name:${key}`, user?.email ?? key).then(
      () => true,
      (error: unknown) => {
        if (isRateLimited(error)) return false;
        throw error;
      },
    );
    if (user && allowed) {
      this.mail.sendLink(user, 'RESET_PASSWORD').catch((error: unknown) => this.logger.error({ err: error }, 'a password reset link could not be issued'));
    }
    return true;
  }

  /**
   * Sets a new password with a reset link's token: the address is verified by the same
   * token, every session of the account ends (their sockets close), a pending email change
   * is void (whoever asked for it may have had the old password), the account's address
   * hears of it, and the person is signed in (or asked for the second step). A refused
   * password leaves the token usable and nothing written.
   */
  async resetPassword(input: ResetPasswordInput, client: ClientInfo): Promise<AuthPayload> {
    const user = await this.prisma.$transaction(
      async (tx) => {
        const token = await this.tokens.consume(input.token, 'RESET_PASSWORD', tx);
        const account = await tx.user.findUniqueOrThrow({ where: { id: token.userId } });
        const problems = passwordProblems(input.newPassword, account.username, 'newPassword');
        // Thrown inside the transaction: its rollback gives the token back.
        if (problems.length > 0) throw badInput(problems);
        await this.tokens.revoke(account.id, 'CHANGE_EMAIL', tx);
        // A sign-in begun with the old password waits for its second step no longer.
        await tx.signInChallenge.deleteMany({ where: { userId: account.id } });
        return tx.user.update({
          where: { id: account.id },
          data: { passwordHash: await hashPassword(input.newPassword), emailVerifiedAt: account.emailVerifiedAt ?? new Date() },
        });
      },
      { timeout: RESET_TRANSACTION_MS },
    );
    await this.sessions.endAllOf(user.id);
    this.mail.notify(user, user.email, passwordChangedMail, 'password-changed');
    return this.accounts.signIn(user, client);
  }
}
