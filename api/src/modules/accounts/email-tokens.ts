/**
 * Single-use tokens sent by mail (verify an address, reset a password, confirm a new
 * address). Only their SHA-256 is stored; a new one for the same account and purpose
 * supersedes the old; a token used, expired, superseded or unknown is one error,
 * INVALID_TOKEN, whichever it was (the difference is nobody's business but the server's).
 */
import { randomBytes } from 'node:crypto';
import type { Prisma } from '../../core/db/database.js';
import { invalidToken } from '../../core/errors.js';
import type { EmailToken, EmailTokenPurpose } from '../../generated/prisma/client.js';
import { hashToken } from './sessions.service.js';

/** How long each kind of link works. */
export const EMAIL_TOKEN_TTL_MINUTES: Record<EmailTokenPurpose, number> = {
  RESET_PASSWORD: 30,
  VERIFY_EMAIL: 7 * 24 * 60,
  CHANGE_EMAIL: 24 * 60,
};

/** A transaction's client or the client itself: a token can be consumed inside a larger change. */
type Db = Pick<Prisma, 'emailToken'>;

export class EmailTokens {
  constructor(private readonly prisma: Prisma) {}

  /**
   * A new token for `purpose`; the account's earlier unused ones for it stop working.
   * @param email the address it is for (an email change's new address)
   */
  async issue(userId: string, purpose: EmailTokenPurpose, email: string | null = null): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + EMAIL_TOKEN_TTL_MINUTES[purpose] * 60_000);
    await this.prisma.$transaction([
      this.prisma.emailToken.deleteMany({ where: { userId, purpose, usedAt: null } }),
      this.prisma.emailToken.create({ data: { userId, purpose, email, tokenHash: hashToken(token), expiresAt } }),
    ]);
    return token;
  }

  /**
   * Uses `token` up; throws INVALID_TOKEN unless it is a live one for `purpose`. Two uses at
   * once: one wins, the other gets INVALID_TOKEN.
   */
  async consume(token: string, purpose: EmailTokenPurpose, db: Db = this.prisma): Promise<EmailToken> {
    if (!/^[\w-]{20,100}$/.test(token)) throw invalidToken();
    const row = await db.emailToken.findUnique({ where: { tokenHash: hashToken(token) } });
    const now = new Date();
    if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt <= now) throw invalidToken();
    const { count } = await db.emailToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (count !== 1) throw invalidToken();
    return { ...row, usedAt: now };
  }

  /** The account's unused tokens for `purpose` stop working (a password reset voids a pending email change). */
  async revoke(userId: string, purpose: EmailTokenPurpose, db: Db = this.prisma): Promise<void> {
    await db.emailToken.deleteMany({ where: { userId, purpose, usedAt: null } });
  }

  /** The address of the account's live token for `purpose` (a new address awaiting confirmation), or null. */
  async liveAddress(userId: string, purpose: EmailTokenPurpose): Promise<string | null> {
    const row = await this.prisma.emailToken.findFirst({
      where: { userId, purpose, usedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: 'desc' },
      select: { email: true },
    });
    return row?.email ?? null;
  }

  /** Removes tokens that can no longer be used (run with the session purge). */
  async purge(): Promise<number> {
    const { count } = await this.prisma.emailToken.deleteMany({ where: { OR: [{ usedAt: { not: null } }, { expiresAt: { lt: new Date() } }] } });
    return count;
  }
}
