/**
 * Turning two-factor sign-in on and off, and the recovery codes. (Signing in with it is
 * AccountService's, through two-factor.challenges.ts; the codes are checked by SecondFactor.)
 *
 * - On takes two steps: a new secret is stored sealed and pending (`totpSecret` set,
 *   `totpEnabledAt` null) until a code made from it proves the app has it; beginning again
 *   replaces the pending secret.
 * - Turning it on ends the account's other sessions: they were signed in with the password
 *   alone, which is no longer enough for this account. The session that turned it on stays.
 * - Off, and new recovery codes, need both factors: the password and a code.
 * - The account in the wrong state for a change (on already, off, no setup begun) is CONFLICT,
 *   naming `twoFactorEnabled`: the client's view of the account is stale, not its input wrong.
 */
import type { Viewer } from '../../app/context.js';
import type { Prisma } from '../../core/db/database.js';
import { AppError, ErrorCode, notFound } from '../../core/errors.js';
import type { User } from '../../generated/prisma/client.js';
import { toMe, type AccountService } from './accounts.service.js';
import type { Me } from './accounts.types.js';
import type { SecondFactor } from './second-factor.js';
import type { SessionService } from './sessions.service.js';
import type { DisableTwoFactorInput, RegenerateRecoveryCodesInput } from './two-factor.inputs.js';
import type { RecoveryCodes, TwoFactorSetup } from './two-factor.types.js';

function wrongState(constraint: 'twoFactorOff' | 'twoFactorOn' | 'setupBegun', message: string): AppError {
  return new AppError(ErrorCode.Conflict, message, { fields: [{ field: 'twoFactorEnabled', constraint, message }] });
}

const alreadyOn = () => wrongState('twoFactorOff', 'Two-factor sign-in is on already: turn it off first to set up another app.');
const notOn = () => wrongState('twoFactorOn', 'Two-factor sign-in is off.');
const noSetup = () => wrongState('setupBegun', 'There is no two-factor setup to confirm (or another one was begun since): begin the setup again.');

export class TwoFactorService {
  constructor(
    private readonly prisma: Prisma,
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
    private readonly secondFactor: SecondFactor,
  ) {}

  /**
   * A new secret for the viewer's authenticator app, pending until {@link confirmSetup};
   * BAD_USER_INPUT on `password` for a wrong password, CONFLICT when two-factor is on already.
   */
  async beginSetup(viewer: Viewer, password: string): Promise<TwoFactorSetup> {
    const user = await this.accounts.confirmPassword(viewer, password);
    if (user.totpEnabledAt) throw alreadyOn();
    const { secret, sealed, uri } = this.secondFactor.newSecret(user.username);
    // The last step belonged to the secret replaced; a setup confirmed meanwhile stays as it is.
    const { count } = await this.prisma.user.updateMany({
      where: { id: user.id, totpEnabledAt: null },
      data: { totpSecret: sealed, totpLastStep: null },
    });
    if (count !== 1) throw alreadyOn();
    return { secret, otpauthUri: uri };
  }

  /**
   * Turns two-factor on once `code` is a current code of the pending secret, ends the
   * viewer's other sessions, and returns the recovery codes (shown this once).
   */
  async confirmSetup(viewer: Viewer, code: string): Promise<RecoveryCodes> {
    const user = await this.account(viewer);
    if (user.totpEnabledAt) throw alreadyOn();
    const pending = user.totpSecret;
    if (!pending) throw noSetup();
    await this.secondFactor.verify(user, code, 'code', pending);
    // Before turning it on: should this fail, two-factor stays off and the setup can be confirmed again.
    await this.sessions.endAllOf(user.id, viewer.sessionId);
    const { codes, hashes } = this.secondFactor.newRecoveryCodes();
    // Only the secret the code was checked against: not one from a setup begun meanwhile.
    const { count } = await this.prisma.user.updateMany({
      where: { id: user.id, totpSecret: pending, totpEnabledAt: null },
      data: { totpEnabledAt: new Date(), recoveryCodes: hashes },
    });
    if (count !== 1) throw noSetup();
    return { codes };
  }

  /** Turns two-factor off: the secret, the last step and the recovery codes are forgotten. */
  async disable(viewer: Viewer, input: DisableTwoFactorInput): Promise<Me> {
    const user = await this.proveBothFactors(viewer, input);
    const [, updated] = await this.prisma.$transaction([
      // Sign-ins waiting for a code: turning it on again must not bring them back.
      this.prisma.signInChallenge.deleteMany({ where: { userId: user.id } }),
      this.prisma.user.update({
        where: { id: user.id },
        data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null, recoveryCodes: [] },
      }),
    ]);
    return toMe(updated);
  }

  /** New recovery codes (shown this once) in place of all the old ones, used or not. */
  async regenerateRecoveryCodes(viewer: Viewer, input: RegenerateRecoveryCodesInput): Promise<RecoveryCodes> {
    const user = await this.proveBothFactors(viewer, input);
    const { codes, hashes } = this.secondFactor.newRecoveryCodes();
    // Turned off meanwhile (in another session): no codes for an account without two-factor.
    const { count } = await this.prisma.user.updateMany({
      where: { id: user.id, totpEnabledAt: { not: null } },
      data: { recoveryCodes: hashes },
    });
    if (count !== 1) throw notOn();
    return { codes };
  }

  /**
   * The viewer's account once the password (BAD_USER_INPUT on `password`) and then a code
   * (BAD_USER_INPUT on `code`, used up when accepted) were right; CONFLICT when two-factor is off.
   */
  private async proveBothFactors(viewer: Viewer, input: { password: string; code: string }): Promise<User> {
    const user = await this.accounts.confirmPassword(viewer, input.password);
    if (!user.totpEnabledAt) throw notOn();
    await this.secondFactor.verify(user, input.code);
    return user;
  }

  private async account(viewer: Viewer): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { id: viewer.userId } });
    if (!user) throw notFound('Account');
    return user;
  }
}
