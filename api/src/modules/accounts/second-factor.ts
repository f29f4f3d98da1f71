/**
 * The second factor of sign-in: a TOTP code from an authenticator app (RFC 6238, 30 s,
 * 6 digits, SHA-1 as every app reads it) or a single-use recovery code. Shared by what
 * asks for it: the second step of sign-in, turning two-factor off, deleting the account.
 *
 * - The TOTP secret is stored sealed (AES-256-GCM with a key derived from the server's
 *   secret): a copy of the database alone does not give it away.
 * - A code is accepted once: the time step it belongs to must be later than the last one
 *   accepted, checked and recorded in one statement.
 * - Recovery codes are stored as HMACs keyed by the server's secret, and each one is
 *   removed in the statement that accepts it.
 * - Every attempt counts against the account's budget of second-factor tries.
 */
import { createHmac, hkdfSync, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Prisma } from '../../core/db/database.js';
import { badInput } from '../../core/errors.js';
import type { Limiter } from '../../core/rate-limit.js';
import { Sealer } from '../../core/secrets.js';
import type { User } from '../../generated/prisma/client.js';

export const TOTP_PERIOD_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Dash';
/** Codes of the step before and after are taken too: phones' clocks drift. */
const WINDOW = 1;
/** Recovery codes: 12 characters of an alphabet without look-alikes (0/O, 1/I/L), 60 bits. */
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function totp(secretBase32: string, label = ''): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

/** The normalized form of what a person typed: no spaces or dashes, upper case. */
export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export class SecondFactor {
  private readonly sealer: Sealer;
  private readonly recoveryKey: Buffer;

  constructor(
    private readonly prisma: Prisma,
    secret: Buffer,
    private readonly limiter: Limiter,
  ) {
    this.sealer = new Sealer(secret, 'totp-secret');
    this.recoveryKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'dash:recovery-codes', 32));
  }

  /** A new TOTP secret (base32, 160 bits), sealed for storage, and the URI an app scans. */
  newSecret(accountName: string): { secret: string; sealed: string; uri: string } {
    const secret = new Secret({ size: 20 }).base32;
    return { secret, sealed: this.sealer.seal(secret), uri: totp(secret, accountName).toString() };
  }

  /** The time step `code` belongs to under the sealed secret, or null when it is not a current code. */
  stepOf(sealedSecret: string, code: string, now = Date.now()): number | null {
    const token = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(token)) return null;
    const delta = totp(this.sealer.open(sealedSecret)).validate({ token, timestamp: now, window: WINDOW });
    return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
  }

  /** Ten new recovery codes as shown once (`ABCD-EFGH-JKMN`), and what is stored of them. */
  newRecoveryCodes(): { codes: string[]; hashes: string[] } {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
      const chars = Array.from({ length: 12 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
      return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
    });
    return { codes, hashes: codes.map((code) => this.hashRecoveryCode(code)) };
  }

  private hashRecoveryCode(code: string): string {
    return createHmac('sha256', this.recoveryKey).update(normalizeRecoveryCode(code)).digest('base64url');
  }

  /**
   * Accepts a TOTP code or a recovery code of `user` (who has two-factor on) exactly once, or
   * throws BAD_USER_INPUT on `field`; RATE_LIMITED past the account's budget of tries.
   * @param secretOverride a sealed secret not yet enabled (confirming the setup)
   */
  async verify(user: Pick<User, 'id' | 'totpSecret'>, code: string, field = 'code', secretOverride?: string): Promise<'totp' | 'recovery'> {
    const key = `account:${user.id}`;
    await this.limiter.consume(key);
    const sealed = secretOverride ?? user.totpSecret;
    const step = sealed ? this.stepOf(sealed, code) : null;
    if (step !== null) {
      // Later than any step accepted before, or this code (or an earlier one) was used already.
      const accepted = await this.prisma.$executeRaw`
        UPDATE users SET totp_last_step = ${step}
        WHERE id = ${user.id}::uuid AND (totp_last_step IS NULL OR totp_last_step < ${step})`;
      if (accepted === 1) return 'totp';
    } else if (!secretOverride && normalizeRecoveryCode(code).length === 12) {
      const hash = this.hashRecoveryCode(code);
      const removed = await this.prisma.$executeRaw`
        UPDATE users SET recovery_codes = array_remove(recovery_codes, ${hash})
        WHERE id = ${user.id}::uuid AND ${hash} = ANY(recovery_codes)`;
      if (removed === 1) return 'recovery';
    }
    throw badInput([{ field, constraint: 'secondFactor', message: 'That code is not valid (or was used already). Enter the current code from your app, or an unused recovery code.' }]);
  }
}
