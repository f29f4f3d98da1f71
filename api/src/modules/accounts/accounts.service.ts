/** Registration, sign-in and the signed-in user's own account. */
import type { Prisma } from '../../core/db/database.js';
import { badInput, conflict, notFound, twoFactorRequired, unauthenticated, uniqueViolationField } from '../../core/errors.js';
import type { Limiter } from '../../core/rate-limit.js';
import type { Viewer } from '../../app/context.js';
import type { User } from '../../generated/prisma/client.js';
import type { LoginInput, RegisterInput, UpdateProfileInput } from './accounts.inputs.js';
import type { AuthPayload, Me } from './accounts.types.js';
import { decoyHash, hashPassword, passwordProblems, verifyPassword } from './password.js';
import { toSessionInfo, type ClientInfo, type SessionService } from './sessions.service.js';
import type { SignInChallenges } from './two-factor.challenges.js';
import type { CompleteLoginInput } from './two-factor.inputs.js';
import type { EmailVerification } from './email-address.service.js';
import type { ProfileChanges } from '../users/profile-changes.js';

export interface AccountLimiters {
  loginPerAccount: Limiter;
  loginPerIp: Limiter;
  registerPerIp: Limiter;
}

function takenConflict(field: 'email' | 'username') {
  return field === 'email'
    ? conflict('email', 'An account with this email already exists.')
    : conflict('username', 'This user name is taken.');
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class AccountService {
  constructor(
    private readonly prisma: Prisma,
    private readonly sessions: SessionService,
    private readonly limiters: AccountLimiters,
    private readonly challenges: SignInChallenges,
    private readonly verification: Pick<EmailVerification, 'welcome'>,
    private readonly profiles: Pick<ProfileChanges, 'changed'>,
  ) {}

  async register(input: RegisterInput, client: ClientInfo): Promise<AuthPayload> {
    await this.limiters.registerPerIp.consume(client.ip ?? 'unknown');
    const problems = passwordProblems(input.password, input.username);
    if (problems.length > 0) throw badInput(problems);

    const email = normalizeEmail(input.email);
    const taken = await this.prisma.user.findFirst({
      where: { OR: [{ username: input.username }, { email }] },
      select: { email: true },
    });
    if (taken) throw takenConflict(taken.email === email ? 'email' : 'username');

    try {
      const user = await this.prisma.user.create({
        data: {
          username: input.username,
          email,
          passwordHash: await hashPassword(input.password),
          displayName: input.displayName?.trim() || input.username,
        },
      });
      await this.verification.welcome(user);
      return await this.startSession(user, client);
    } catch (error) {
      // Lost a race with a concurrent registration of the same name or address.
      const field = uniqueViolationField(error);
      throw field === 'email' || field === 'username' ? takenConflict(field) : error;
    }
  }

  /**
   * Signs in by user name or email. An unknown account and a wrong password give the
   * same error after the same work (an argon2 verification either way). Failures count
   * against the account, however it was named (user name or email, any case); against
   * the normalized name when no account matches, so unknown names cost the same.
   */
  async login(input: LoginInput, client: ClientInfo): Promise<AuthPayload> {
    const login = input.login.trim();
    const byEmail = login.includes('@');
    await this.limiters.loginPerIp.consume(client.ip ?? 'unknown');
    const user = await this.prisma.user.findFirst({
      where: byEmail ? { email: normalizeEmail(login) } : { username: login },
    });
    const accountKey = user ? `account:${user.id}` : `name:${byEmail ? normalizeEmail(login) : login.toLowerCase()}`;
    // Counted before the password is checked (attempts made at once cannot all pass a check
    // that none of them has counted in yet); a right one forgets the failures.
    await this.limiters.loginPerAccount.consume(accountKey);

    const valid = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
    if (!user || !valid) throw unauthenticated('Wrong user name or password.', 'INVALID_CREDENTIALS');
    await this.limiters.loginPerAccount.reset(accountKey);
    return this.signIn(user, client);
  }

  /**
   * Signs in someone who has proved who they are by password (a login, a password reset):
   * a session, or — once two-factor sign-in is on for the account — the second step first.
   * Every way in goes through here, so none of them bypasses the second step: with two-factor
   * on, no session but TWO_FACTOR_REQUIRED, whose challenge {@link completeLogin} takes.
   */
  async signIn(user: User, client: ClientInfo): Promise<AuthPayload> {
    if (user.totpEnabledAt) {
      const { challenge, expiresAt } = await this.challenges.issue(user.id);
      throw twoFactorRequired(challenge, expiresAt);
    }
    return this.startSession(user, client);
  }

  /**
   * The second step of {@link signIn}: a session for the challenge's account once a code of
   * it was accepted (see SignInChallenges.pass for what is refused, and how).
   */
  async completeLogin(input: CompleteLoginInput, client: ClientInfo): Promise<AuthPayload> {
    const user = await this.challenges.pass(input.challenge, input.code);
    return this.startSession(user, client);
  }

  /**
   * Checks the viewer's own password before a change to the account (password, email,
   * deletion); a wrong one is BAD_USER_INPUT on `field`, and counts against the account's
   * sign-in budget like a failed login, so it cannot be guessed here instead.
   */
  async confirmPassword(viewer: Viewer, password: string, field = 'password'): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { id: viewer.userId } });
    if (!user) throw notFound('Account');
    const accountKey = `account:${user.id}`;
    // As in login: counted first, given back when right.
    await this.limiters.loginPerAccount.consume(accountKey);
    if (!(await verifyPassword(user.passwordHash, password))) {
      throw badInput([{ field, constraint: 'currentPassword', message: 'That is not your current password.' }]);
    }
    await this.limiters.loginPerAccount.refund(accountKey);
    return user;
  }

  async me(viewer: Viewer): Promise<Me> {
    const user = await this.prisma.user.findUnique({ where: { id: viewer.userId } });
    if (!user) throw notFound('Account');
    return toMe(user);
  }

  async updateProfile(viewer: Viewer, input: UpdateProfileInput): Promise<Me> {
    const displayName = input.displayName?.trim();
    if (input.displayName !== undefined && !displayName) {
      throw badInput([{ field: 'displayName', constraint: 'isLength', message: 'The display name must be 1–64 characters long.' }]);
    }
    const bio = input.bio === undefined ? undefined : input.bio.trim() || null;
    const user = await this.prisma.user.update({
      where: { id: viewer.userId },
      data: {
        ...(displayName ? { displayName } : {}),
        ...(bio !== undefined ? { bio } : {}),
        ...(input.locale ? { locale: input.locale } : {}),
        ...(input.whoCanMessage ? { whoCanMessage: input.whoCanMessage } : {}),
        ...(input.whoCanFind ? { whoCanFind: input.whoCanFind } : {}),
        ...(input.whoSeesLastSeen ? { whoSeesLastSeen: input.whoSeesLastSeen } : {}),
      },
    });
    // What others show of the person; privacy and language are the viewer's own.
    if (displayName || bio !== undefined) await this.profiles.changed(user.id);
    return toMe(user);
  }

  private async startSession(user: User, client: ClientInfo): Promise<AuthPayload> {
    const { token, session } = await this.sessions.create(user.id, client);
    return { token, session: toSessionInfo(session, session.id), me: toMe(user) };
  }
}

export function toMe(user: User): Me {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    bio: user.bio,
    email: user.email,
    emailVerified: user.emailVerifiedAt !== null,
    twoFactorEnabled: user.totpEnabledAt !== null,
    recoveryCodesLeft: user.recoveryCodes.length,
    locale: user.locale,
    whoCanMessage: user.whoCanMessage,
    whoCanFind: user.whoCanFind,
    whoSeesLastSeen: user.whoSeesLastSeen,
    createdAt: user.createdAt,
  };
}
