/**
 * Deleting one's own account. What the person said stays in other people's history, shown
 * as from a deleted account (messages.sender_id is ON DELETE SET NULL); what was theirs alone
 * goes with the user row, by the schema's rules:
 * - sessions, sign-in challenges, mailed tokens, contacts and blocks (theirs and of them);
 * - memberships: a direct conversation stays, with the other person alone in it;
 * - their uploads (media) and sticker packs; messages and avatars showing one of them keep
 *   everything else (media_id, sticker_id and avatar_id are SET NULL);
 * - conversations they created stay (created_by_id is SET NULL).
 * Groups are not left to the cascade: they are left as `leaveConversation` leaves them, so
 * that the others see it in the history and an owner hands over.
 */
import type { Prisma } from '../../core/db/database.js';
import { badInput, notFound } from '../../core/errors.js';
import type { Viewer } from '../../app/context.js';
import type { Departure, GroupService } from '../conversations/groups.service.js';
import type { DeleteAccountInput } from './account-settings.inputs.js';
import type { AccountService } from './accounts.service.js';
import type { SecondFactor } from './second-factor.js';
import type { SessionService } from './sessions.service.js';

/**
 * How long the deletion's transaction may take: it leaves every group of the account, a few
 * statements each, and someone in hundreds of groups must still be able to leave.
 */
const DELETION_TIMEOUT_MS = 60_000;

export class AccountDeletionService {
  constructor(
    private readonly prisma: Prisma,
    private readonly accounts: AccountService,
    private readonly secondFactor: SecondFactor,
    private readonly sessions: SessionService,
    private readonly groups: GroupService,
  ) {}

  /**
   * Deletes the viewer's account, proven by its password and, with two-factor sign-in on, a
   * code. In one transaction: every group left, the account deleted. After it commits: the
   * groups' members told, every session of the account ended and its sockets closed.
   */
  async deleteAccount(viewer: Viewer, input: DeleteAccountInput): Promise<void> {
    const user = await this.accounts.confirmPassword(viewer, input.password, 'password');
    if (user.totpEnabledAt) {
      if (!input.code) {
        throw badInput([{ field: 'code', constraint: 'required', message: 'Enter the code from your authenticator app, or a recovery code.' }]);
      }
      await this.secondFactor.verify(user, input.code, 'code');
    }

    const { departures, sessionIds } = await this.prisma.$transaction(
      async (tx) => {
        // Taken first: a membership or session being added now (its foreign key shares this
        // row) either commits before and is seen below, or waits and then finds no account.
        const [account] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${user.id}::uuid FOR UPDATE`;
        if (!account) throw notFound('Account'); // deleted by another request of theirs meanwhile
        const groups = await tx.membership.findMany({
          where: { userId: user.id, conversation: { kind: 'GROUP' } },
          select: { conversationId: true, role: true, removedSeq: true },
          orderBy: { conversationId: 'asc' },
        });
        const departures: Departure[] = [];
        for (const membership of groups) departures.push(await this.groups.depart(tx, user.id, membership));
        const sessions = await tx.session.findMany({ where: { userId: user.id }, select: { id: true } });
        // What they made goes first, one kind at a time, and the user row last. Left to one cascade,
        // the deletion fails: PostgreSQL checks every foreign key of a row this transaction already
        // changed (a group's seq moved) when the cascade updates it again (created_by_id), and finds
        // its avatar_id pointing at an upload deleted by the same cascade. And stickers.media_id is
        // RESTRICT: a sticker made from their upload, in anyone's pack, goes before the upload does.
        await tx.sticker.deleteMany({ where: { media: { ownerId: user.id } } });
        await tx.stickerPack.deleteMany({ where: { ownerId: user.id } });
        await tx.media.deleteMany({ where: { ownerId: user.id } });
        await tx.user.delete({ where: { id: user.id } });
        return { departures, sessionIds: sessions.map((session) => session.id) };
      },
      { timeout: DELETION_TIMEOUT_MS },
    );
    this.sessions.announceEnded(sessionIds);
    for (const departure of departures) this.groups.announceDeparture(departure);
  }
}
