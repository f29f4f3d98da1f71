/**
 * The second step of signing in to an account with two-factor sign-in on. A right password
 * earns a challenge — 256 random bits, stored only as their SHA-256, bound to the account,
 * good for five minutes and for one session — which `completeLogin` trades, with a code, for
 * a session. A wrong code leaves the challenge usable (the person retypes the code, not the
 * password); the account's budget of second-factor tries bounds the guessing.
 */
import { randomBytes } from 'node:crypto';
import type { Prisma } from '../../core/db/database.js';
import { invalidToken } from '../../core/errors.js';
import type { User } from '../../generated/prisma/client.js';
import type { SecondFactor } from './second-factor.js';
import { hashToken } from './sessions.service.js';

/** How long a challenge can be completed: long enough to open an app or find a recovery code. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

const CHALLENGE_PATTERN = /^[\w-]{43}$/;

const spent = () => invalidToken('This sign-in expired or was completed already: sign in again with your password.');

export class SignInChallenges {
  constructor(
    private readonly prisma: Prisma,
    private readonly secondFactor: SecondFactor,
  ) {}

  /**
   * A new challenge for `userId`, returned once. Expired challenges of every account are
   * removed at the same time: they are few, found by index, and need no timer of their own.
   */
  async issue(userId: string): Promise<{ challenge: string; expiresAt: Date }> {
    const challenge = randomBytes(32).toString('base64url');
    const now = Date.now();
    const expiresAt = new Date(now + CHALLENGE_TTL_MS);
    await this.prisma.$transaction([
      this.prisma.signInChallenge.deleteMany({ where: { expiresAt: { lte: new Date(now) } } }),
      this.prisma.signInChallenge.create({ data: { userId, tokenHash: hashToken(challenge), expiresAt } }),
    ]);
    return { challenge, expiresAt };
  }

  /**
   * The account `challenge` was issued to, once `code` (a TOTP code or a recovery code) was
   * accepted for it; the challenge is used up. INVALID_TOKEN for a challenge unknown, expired,
   * used, or of an account that has turned two-factor off since; BAD_USER_INPUT on `code` and
   * RATE_LIMITED as {@link SecondFactor.verify} answers, the challenge then left as it was.
   */
  async pass(challenge: string, code: string): Promise<User> {
    if (!CHALLENGE_PATTERN.test(challenge)) throw spent();
    const row = await this.prisma.signInChallenge.findUnique({ where: { tokenHash: hashToken(challenge) }, include: { user: true } });
    if (!row || row.expiresAt.getTime() <= Date.now() || !row.user.totpEnabledAt) throw spent();
    await this.secondFactor.verify(row.user, code);
    // Two completions of one challenge at once, each with a good code: one session, not two.
    const { count } = await this.prisma.signInChallenge.deleteMany({ where: { id: row.id } });
    if (count !== 1) throw spent();
    // Read again: the code just accepted changed the account (a recovery code fewer).
    return this.prisma.user.findUniqueOrThrow({ where: { id: row.userId } });
  }
}
