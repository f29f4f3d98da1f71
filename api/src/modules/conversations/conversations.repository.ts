/**
 * The conversations' and memberships' queries: no rules. ConversationService and GroupService
 * decide who may do what, what is atomic (they open the transaction with {@link
 * ConversationRepository.transaction} and hand its `Tx` to the methods that write), and what
 * is published after commit. The seq and the SYSTEM messages are the change log's
 * (conversations.changes.ts), and so is the list of who is told of a membership change.
 * A method that belongs inside a transaction takes its `Tx` first; one that may run either
 * way takes it last, optional.
 *
 * One way into the database per statement family, chosen for what the family needs:
 * - the membership check, a page of the list and moving a read cursor: raw SQL through
 *   Prisma's `$queryRaw`, each one statement that Prisma's client would make two of (a
 *   membership with its conversation) or could not write (the list's row-value cursor and
 *   visibility.ts's SQL form of the list rule; a cursor that only moves forward and says
 *   whether it moved). Not `sql` (core/db/sql.ts): that way is kept for the few statements
 *   every message pays for, and these are not among them.
 * - lookups by key and the writes of conversations and memberships: Prisma's client. Plain
 *   indexed reads and writes, typed by the client, with nested creates (a
 *   conversation and its first members in one call); the writes that go with a SYSTEM message
 *   take the transaction's `Tx`.
 * - media a conversation lets go of (those sent in it when it is deleted, a replaced picture):
 *   deleted in the same transaction, the picture through media's deleteIfUnused, where the rule
 *   of what uses media is kept.
 */
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import { CONVERSATION_COLUMNS, MEMBERSHIP_COLUMNS, pickColumns, selectColumns } from '../../core/db/rows.js';
import { uniqueViolationField } from '../../core/errors.js';
import type { Conversation, Membership } from '../../generated/prisma/client.js';
import { deleteIfUnused } from '../media/media.sweep.repository.js';
import { memberIds, type Tx } from './conversations.changes.js';
import type { MembershipWithConversation } from './conversations.service.js';
import { activityForMember, listedForMember } from './visibility.js';

/** The fields of a membership that change after it is made: role, read cursor, hidden history, muting. */
export type MembershipChange = Partial<Pick<Membership, 'role' | 'lastReadSeq' | 'hiddenUpToSeq' | 'muted'>>;

/** A conversation in a member's list, with the time it is sorted by. */
export interface ListedConversation {
  id: string;
  /** Its latest message's time, else its creation's. */
  activity: Date;
}

export class ConversationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Runs `work` in one transaction: what it writes through `tx` commits together or not at all. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work);
  }

  /** The user's membership with its conversation; null when they are not a member (or there is no such conversation). */
  async membership(conversationId: string, userId: string): Promise<MembershipWithConversation | null> {
    // One query (Prisma's `include` would be two): nearly every operation starts here.
    const [row] = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      SELECT ${selectColumns('mb', MEMBERSHIP_COLUMNS)}, ${selectColumns('c', CONVERSATION_COLUMNS, 'c_')}
      FROM memberships mb JOIN conversations c ON c.id = mb.conversation_id
      WHERE mb.conversation_id = ${conversationId}::uuid AND mb.user_id = ${userId}::uuid`;
    if (!row) return null;
    return { ...pickColumns(row, MEMBERSHIP_COLUMNS)!, conversation: pickColumns(row, CONVERSATION_COLUMNS, 'c_')! };
  }

  /** The user's membership of the conversation, without the conversation. */
  member(conversationId: string, userId: string): Promise<Membership | null> {
    return this.prisma.membership.findUnique({ where: { conversationId_userId: { conversationId, userId } } });
  }

  /**
   * Everyone in the conversation now, as seen inside `tx` when given: the change log's
   * own list (see conversations.changes.ts), so that who is told has one query.
   */
  memberIds(conversationId: string, tx?: Tx): Promise<string[]> {
    return memberIds(tx ?? this.prisma, conversationId);
  }

  /** The members other than `userId` (not those removed), longest-standing first (ties by user id, so that the order is stable). */
  othersBySeniority(tx: Tx, conversationId: string, userId: string): Promise<Membership[]> {
    return tx.membership.findMany({
      where: { conversationId, userId: { not: userId }, removedSeq: null },
      orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }],
    });
  }

  /**
   * Up to `take` ids of the conversations in the user's list (visibility.ts), by latest
   * activity, newest first, from after `cursor` (the last one of the page before).
   */
  listed(userId: string, cursor: { at: Date; id: string } | null, take: number): Promise<ListedConversation[]> {
    const activity = activityForMember('c', 'm');
    return this.prisma.$queryRaw<ListedConversation[]>`
      SELECT c.id, ${activity} AS activity
      FROM memberships m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.user_id = ${userId}::uuid
        AND ${listedForMember('c', 'm')}
        AND (${cursor === null} OR (${activity}, c.id) < (${cursor?.at ?? new Date(0)}, ${cursor?.id ?? '00000000-0000-0000-0000-000000000000'}::uuid))
      ORDER BY activity DESC, c.id DESC
      LIMIT ${take}`;
  }

  /** The conversations with these ids, in no particular order. */
  byIds(ids: string[]): Promise<Conversation[]> {
    return this.prisma.conversation.findMany({ where: { id: { in: ids } } });
  }

  /** The conversation with this id; Prisma's P2025 when there is none. */
  byId(id: string): Promise<Conversation> {
    return this.prisma.conversation.findUniqueOrThrow({ where: { id } });
  }

  /** The direct conversation with this key (core/db/keys.ts), if there is one. */
  byDirectKey(directKey: string): Promise<Conversation | null> {
    return this.prisma.conversation.findUnique({ where: { directKey } });
  }

  /**
   * Creates the direct conversation of two users with both as members. When a concurrent
   * request created it first (the unique key refuses a second), answers with that one.
   */
  async createDirect(directKey: string, creatorId: string, otherId: string): Promise<{ conversation: Conversation; created: boolean }> {
    try {
      const conversation = await this.prisma.conversation.create({
        data: { kind: 'DIRECT', directKey, createdById: creatorId, members: { create: [{ userId: creatorId }, { userId: otherId }] } },
      });
      return { conversation, created: true };
    } catch (error) {
      if (uniqueViolationField(error) !== 'directKey') throw error;
      return { conversation: await this.prisma.conversation.findUniqueOrThrow({ where: { directKey } }), created: false };
    }
  }

  /** Creates a group owned by `ownerId` with the given members, who see it from its start. */
  createGroup(tx: Tx, title: string, ownerId: string, userIds: string[]): Promise<Conversation> {
    return tx.conversation.create({
      data: {
        kind: 'GROUP',
        title,
        createdById: ownerId,
        members: { create: [{ userId: ownerId, role: 'OWNER' }, ...userIds.map((userId) => ({ userId }))] },
      },
    });
  }

  /** Sets a group's title. */
  async rename(tx: Tx, conversationId: string, title: string): Promise<void> {
    await tx.conversation.update({ where: { id: conversationId }, data: { title } });
  }

  /**
   * Sets or clears a group's picture (a media row's id). The picture it replaces is deleted unless
   * something else shows it (the same upload as someone's own picture): its uploader's quota is
   * given back at once, and URLs still held for it answer 410 (modules/media/media.sweeper.ts).
   */
  async setAvatar(tx: Tx, conversationId: string, avatarId: string | null): Promise<void> {
    const [before] = await tx.$queryRaw<{ avatar_id: string | null }[]>`SELECT avatar_id FROM conversations WHERE id = ${conversationId}::uuid FOR UPDATE`;
    await tx.conversation.update({ where: { id: conversationId }, data: { avatarId } });
    if (before?.avatar_id && before.avatar_id !== avatarId) await deleteIfUnused(tx, [before.avatar_id]);
  }

  /**
   * Deletes a conversation; its memberships and messages go with it (the foreign keys cascade),
   * and so do the media sent in it, first, and its picture unless something else shows it: left
   * to the cascade, they would outlive it as uploads never sent, served to whoever holds their
   * URLs and counted against their owner's quota. Gone, a signed URL for them answers 410; the
   * sweep removes their stored content (modules/media/media.sweeper.ts).
   */
  async delete(tx: Tx, conversationId: string): Promise<void> {
    await tx.$executeRaw`
      DELETE FROM media WHERE id IN (
        SELECT a.media_id FROM message_attachments a JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = ${conversationId}::uuid)`;
    const deleted = await tx.conversation.delete({ where: { id: conversationId } });
    if (deleted.avatarId) await deleteIfUnused(tx, [deleted.avatarId]);
  }

  /**
   * Adds members who see the conversation's history after `joinedSeq` and have read up to it.
   * Someone removed earlier comes back as a new member: their read-only membership goes.
   */
  async addMembers(tx: Tx, conversationId: string, userIds: string[], joinedSeq: number): Promise<void> {
    await tx.membership.deleteMany({ where: { conversationId, userId: { in: userIds }, removedSeq: { not: null } } });
    await tx.membership.createMany({ data: userIds.map((userId) => ({ conversationId, userId, joinedSeq, lastReadSeq: joinedSeq })) });
  }

  /** Marks a member removed at `seq`: they keep what they saw up to it, read-only (visibility.ts). */
  async markRemoved(tx: Tx, conversationId: string, userId: string, seq: number): Promise<void> {
    await tx.membership.update({ where: { conversationId_userId: { conversationId, userId } }, data: { removedSeq: seq } });
  }

  /** The users an admin removed from the conversation, who still hold its history. */
  async removedIds(tx: Tx, conversationId: string): Promise<string[]> {
    const rows = await tx.membership.findMany({ where: { conversationId, removedSeq: { not: null } }, select: { userId: true } });
    return rows.map((row) => row.userId);
  }

  /** Takes a member out of a conversation. */
  async removeMember(tx: Tx, conversationId: string, userId: string): Promise<void> {
    await tx.membership.delete({ where: { conversationId_userId: { conversationId, userId } } });
  }

  /** Changes a membership, inside `tx` when given. */
  async updateMembership(conversationId: string, userId: string, change: MembershipChange, tx?: Tx): Promise<void> {
    await (tx ?? this.prisma).membership.update({ where: { conversationId_userId: { conversationId, userId } }, data: change });
  }

  /**
   * Moves the member's read cursor to `seq` unless it is already past it, in one statement
   * (Prisma's update can neither keep the greater value nor say whether it moved).
   * @param previous the cursor as the caller read it: `changed` says whether it moved since
   * @returns null when there is no such membership (any more)
   */
  async advanceRead(conversationId: string, userId: string, seq: number, previous: number): Promise<{ lastReadSeq: number; changed: boolean } | null> {
    const [row] = await this.prisma.$queryRaw<{ last_read_seq: number; changed: boolean }[]>`
      UPDATE memberships SET last_read_seq = GREATEST(last_read_seq, ${seq})
      WHERE conversation_id = ${conversationId}::uuid AND user_id = ${userId}::uuid
      RETURNING last_read_seq, (last_read_seq > ${previous}) AS changed`;
    return row ? { lastReadSeq: row.last_read_seq, changed: row.changed } : null;
  }
}
