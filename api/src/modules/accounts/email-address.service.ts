/**
 * The account's email address: confirming it (a link mailed at registration, and again on
 * request) and changing it (a link mailed to the new address, a notice to the old one).
 * The links work without a session: they may be opened on any device.
 */
import type { Prisma } from '../../core/db/database.js';
import { badInput, conflict, invalidToken, notFound, uniqueViolationField } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Viewer } from '../../app/context.js';
import type { User } from '../../generated/prisma/client.js';
import type { AccountMailer } from './account.mailer.js';
import { emailChangedMail } from './account.mails.js';
import { normalizeEmail, type AccountService } from './accounts.service.js';
import type { RequestEmailChangeInput } from './email-address.inputs.js';
import type { EmailTokens } from './email-tokens.js';

const accountKey = (userId: string) => `account:${userId}`;

export class EmailVerification {
  constructor(
    private readonly prisma: Prisma,
    private readonly tokens: EmailTokens,
    private readonly mail: AccountMailer,
    private readonly logger: Logger,
  ) {}

  /**
   * The first link, at registration. Never fails the registration, which has committed:
   * a failure is logged, and the person can ask again (`resendVerificationEmail`).
   */
  async welcome(user: User): Promise<void> {
    try {
      await this.mail.spend(accountKey(user.id), user.email);
      await this.mail.sendLink(user, 'VERIFY_EMAIL');
    } catch (error) {
      this.logger.warn({ err: error }, 'the verification link of a new account could not be issued');
    }
  }

  /** Mails a new link unless the address is confirmed already; RATE_LIMITED past the mail budget. */
  async resend(viewer: Viewer): Promise<true> {
    const user = await this.prisma.user.findUnique({ where: { id: viewer.userId } });
    if (!user) throw notFound('Account');
    if (user.emailVerifiedAt) return true;
    await this.mail.spend(accountKey(user.id), user.email);
    await this.mail.sendLink(user, 'VERIFY_EMAIL');
    return true;
  }

  /** Confirms the address the token was mailed to; INVALID_TOKEN, with nothing written, if that is no longer the account's. */
  async verify(token: string): Promise<true> {
    await this.prisma.$transaction(async (tx) => {
      const row = await this.tokens.consume(token, 'VERIFY_EMAIL', tx);
      const user = await tx.user.findUniqueOrThrow({ where: { id: row.userId } });
      if (user.email !== row.email) throw invalidToken();
      if (!user.emailVerifiedAt) await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: new Date() } });
    });
    return true;
  }
}

/** Reported on `newEmail`, by a request and by a confirmation alike: the client shows it by that field. */
const addressTaken = () => conflict('newEmail', 'An account with this email already exists.');

export class EmailChange {
  constructor(
    private readonly prisma: Prisma,
    private readonly accounts: AccountService,
    private readonly tokens: EmailTokens,
    private readonly mail: AccountMailer,
  ) {}

  /**
   * Mails a link to confirm `newEmail` to that address, once the viewer's password is right
   * (BAD_USER_INPUT on `password` otherwise); the address changes when the link is opened.
   * CONFLICT on `newEmail` when another account has it; RATE_LIMITED past the mail budget of
   * the account or of the new address.
   */
  async request(viewer: Viewer, input: RequestEmailChangeInput): Promise<true> {
    const user = await this.accounts.confirmPassword(viewer, input.password);
    const newEmail = normalizeEmail(input.newEmail);
    if (newEmail === user.email) {
      throw badInput([{ field: 'newEmail', constraint: 'changed', message: 'This is your email address already.' }]);
    }
    // Spent before asking whether the address is taken: that answer is about other accounts,
    // and unlimited it would let anyone signed in look up who has an account.
    await this.mail.spend(accountKey(user.id), newEmail);
    if (await this.prisma.user.findUnique({ where: { email: newEmail }, select: { id: true } })) throw addressTaken();
    await this.mail.sendLink(user, 'CHANGE_EMAIL', newEmail);
    return true;
  }

  /**
   * Makes the token's address the account's, confirmed, voids reset links mailed to the old
   * one, and tells the old address. CONFLICT
   * on `newEmail` (the token stays usable, nothing is written) if another account took the
   * address meanwhile.
   */
  async confirm(token: string): Promise<true> {
    const { before, after } = await this.prisma.$transaction(async (tx) => {
      const row = await this.tokens.consume(token, 'CHANGE_EMAIL', tx);
      if (!row.email) throw invalidToken();
      const before = await tx.user.findUniqueOrThrow({ where: { id: row.userId } });
      try {
        const after = await tx.user.update({ where: { id: before.id }, data: { email: row.email, emailVerifiedAt: new Date() } });
        // A reset link mailed to the old address no longer opens the account.
        await this.tokens.revoke(before.id, 'RESET_PASSWORD', tx);
        return { before, after };
      } catch (error) {
        // The unique index decides, so a registration at the same moment cannot slip between.
        throw uniqueViolationField(error) === 'email' ? addressTaken() : error;
      }
    });
    this.mail.notify(after, before.email, (locale, name) => emailChangedMail(locale, name, after.email), 'email-changed');
    return true;
  }

  /** The new address awaiting confirmation (a live link), or null. */
  pendingEmail(userId: string): Promise<string | null> {
    return this.tokens.liveAddress(userId, 'CHANGE_EMAIL');
  }
}
