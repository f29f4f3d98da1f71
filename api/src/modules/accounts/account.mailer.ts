/**
 * Sends the mails of the account's life (account.mails.ts): in the recipient's language,
 * with links built from PUBLIC_URL (account.links.ts), and posted rather than awaited, so
 * that an SMTP server's pace or failure never shows in an answer.
 *
 * Links that a request can ask for again and again (verify an address, reset a password,
 * confirm a new address) are counted against two budgets of RATE_LIMIT_MAIL_PER_ACCOUNT:
 * one per account, so nobody floods an account's owner, and one per address mailed, so
 * that many accounts naming one address flood it no more. Notices (password changed,
 * address changed) are not counted: they follow changes that are limited already, and a
 * warning must never be held back.
 *
 * A mail greets the account by its display name only when it goes to the account's own,
 * confirmed address: anyone may register with a stranger's address, or ask to move to one,
 * and choose a display name that reads as a message of ours.
 */
import { AppError, ErrorCode } from '../../core/errors.js';
import type { Mailer } from '../../core/mailer.js';
import type { Limiter } from '../../core/rate-limit.js';
import type { EmailTokenPurpose, User } from '../../generated/prisma/client.js';
import type { AccountLinks } from './account.links.js';
import { confirmNewEmailMail, mailLocale, resetPasswordMail, verifyEmailMail, type MailContent, type MailLocale } from './account.mails.js';
import { EMAIL_TOKEN_TTL_MINUTES, type EmailTokens } from './email-tokens.js';

/** What a mail needs of the account it is about. */
export type Recipient = Pick<User, 'id' | 'email' | 'emailVerifiedAt' | 'displayName' | 'locale'>;

/** The two budgets of mailed links (RATE_LIMIT_MAIL_PER_ACCOUNT each). */
export interface MailBudgets {
  perAccount: Limiter;
  perAddress: Limiter;
}

/** Log and file names of the mails, by what their link is for. */
const PURPOSE_NAMES: Record<EmailTokenPurpose, string> = {
  VERIFY_EMAIL: 'verify-email',
  RESET_PASSWORD: 'reset-password',
  CHANGE_EMAIL: 'confirm-email',
};

/** The display name to greet `to` by: only the account's own address, once confirmed, hears it. */
function nameFor(user: Recipient, to: string): string | null {
  return user.emailVerifiedAt && to.toLowerCase() === user.email ? user.displayName : null;
}

export function isRateLimited(error: unknown): boolean {
  return error instanceof AppError && error.extensions.code === ErrorCode.RateLimited;
}

export class AccountMailer {
  constructor(
    private readonly tokens: EmailTokens,
    private readonly links: AccountLinks,
    private readonly mailer: Mailer,
    private readonly budgets: MailBudgets,
  ) {}

  /**
   * Counts one link mailed to `address` about the account `accountKey` names; RATE_LIMITED
   * once either budget is spent. Both are counted either way: each is a mail asked for.
   */
  async spend(accountKey: string, address: string): Promise<void> {
    const results = await Promise.allSettled([this.budgets.perAccount.consume(accountKey), this.budgets.perAddress.consume(address.toLowerCase())]);
    const refused = results.find((result) => result.status === 'rejected');
    if (refused) throw refused.reason;
  }

  /**
   * Issues a single-use token for `purpose` (the account's earlier one stops working) and
   * posts its link to `to`: the account's address, or the new one for CHANGE_EMAIL. The
   * token remembers that address, so a link for an address the account no longer has
   * proves nothing. Spend the budget first ({@link spend}).
   */
  async sendLink(user: Recipient, purpose: EmailTokenPurpose, to = user.email): Promise<void> {
    const token = await this.tokens.issue(user.id, purpose, purpose === 'RESET_PASSWORD' ? null : to);
    const locale = mailLocale(user.locale);
    this.post(to, this.linkMail(purpose, locale, nameFor(user, to), token), PURPOSE_NAMES[purpose]);
  }

  /**
   * Posts a notice about the account to `to`, composed in the account's language; `name` is
   * the display name, or null when `to` is not the account's confirmed address.
   */
  notify(user: Recipient, to: string, compose: (locale: MailLocale, name: string | null) => MailContent, purpose: string): void {
    this.post(to, compose(mailLocale(user.locale), nameFor(user, to)), purpose);
  }

  private linkMail(purpose: EmailTokenPurpose, locale: MailLocale, name: string | null, token: string): MailContent {
    switch (purpose) {
      case 'VERIFY_EMAIL':
        return verifyEmailMail(locale, this.links.verifyEmail(token));
      case 'RESET_PASSWORD':
        return resetPasswordMail(locale, name, this.links.resetPassword(token), EMAIL_TOKEN_TTL_MINUTES.RESET_PASSWORD);
      case 'CHANGE_EMAIL':
        return confirmNewEmailMail(locale, this.links.confirmEmail(token));
    }
  }

  private post(to: string, content: MailContent, purpose: string): void {
    this.mailer.post({ to, ...content, purpose });
  }
}
