/**
 * What a member sees of a conversation: its messages after GREATEST(hidden_up_to_seq,
 * joined_seq) and, for a member an admin removed, up to removed_seq (the MEMBER_REMOVED
 * message) and no further; less the messages they deleted for themselves one by one
 * (hidden_messages). Someone who joined later has no earlier history; "delete chat for me"
 * hides it up to the seq of that moment; "delete for me" of a message hides that one; a
 * removed member keeps what they had, read-only.
 * Who is told of a change is narrower: members who see it and were not removed — a removed
 * member is told nothing more, not even of the messages they still see. This is the one place
 * the rule is written, in the two forms its readers need: TypeScript over a membership row the
 * caller holds, and SQL fragments for statements that filter many messages or members at once.
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Conversation, Membership, Message } from '../../generated/prisma/client.js';

/** The part of a membership the rule reads. */
export type MemberHorizon = Pick<Membership, 'conversationId' | 'hiddenUpToSeq' | 'joinedSeq' | 'removedSeq'>;

/** The last seq hidden from a member: they see the messages after it. */
export function visibleFrom(membership: Pick<Membership, 'hiddenUpToSeq' | 'joinedSeq'>): number {
  return Math.max(membership.hiddenUpToSeq, membership.joinedSeq);
}

/** Whether an admin removed the member: they read what they had, and write nothing. */
export function isRemoved(membership: Pick<Membership, 'removedSeq'>): boolean {
  return membership.removedSeq !== null;
}

/**
 * The conversation's seq as the member knows it: the seq of their removal for a removed
 * member (nothing after it reaches them), else the conversation's own.
 */
export function knownSeq(membership: Pick<Membership, 'removedSeq'>, conversation: Pick<Conversation, 'seq'>): number {
  return membership.removedSeq ?? conversation.seq;
}

/**
 * Whether the message lies in the history the membership gives: it is in their conversation,
 * after {@link visibleFrom}, and, for a member removed from the group, neither written nor
 * changed after their removal (an edit or deletion made since is not theirs to see, and the text
 * it replaced is not kept). The member sees it unless they deleted it for themselves
 * ({@link canSee}); one they did may still be deleted for themselves again, which changes nothing.
 */
export function inHistory(membership: MemberHorizon, message: Pick<Message, 'conversationId' | 'seq' | 'updatedSeq'>): boolean {
  return (
    message.conversationId === membership.conversationId &&
    message.seq > visibleFrom(membership) &&
    (membership.removedSeq === null || message.updatedSeq <= membership.removedSeq)
  );
}

/**
 * Whether the member sees the message: it lies in their history ({@link inHistory}) and they
 * did not delete it for themselves.
 * @param hidden whether the member deleted it for themselves ({@link deletedForMember})
 */
export function canSee(membership: MemberHorizon, message: Pick<Message, 'conversationId' | 'seq' | 'updatedSeq'>, hidden: boolean): boolean {
  return inHistory(membership, message) && !hidden;
}

/**
 * Whether the conversation is in the member's list. One deleted "for me" stays away until a
 * message comes after what was hidden; one the member joined late is listed from the start.
 * A removed member keeps it listed (read-only) until they delete it.
 */
export function isListed(membership: Pick<Membership, 'hiddenUpToSeq'>, conversation: Pick<Conversation, 'lastMessageSeq'>): boolean {
  return membership.hiddenUpToSeq === 0 || conversation.lastMessageSeq > membership.hiddenUpToSeq;
}

// Aliases are spliced into the statement's text, so only a plain identifier is taken.
function alias(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not an SQL alias: ${name}`);
  return name;
}

// The member deleted the message for themselves: a probe of hidden_messages' primary key.
function hiddenFrom(m: string, mb: string): string {
  return `EXISTS (SELECT 1 FROM hidden_messages hm WHERE hm.user_id = ${mb}.user_id AND hm.message_id = ${m}.id)`;
}

/**
 * SQL: the member `membership` deleted the message row `message` for themselves (the aliases
 * of a `memberships` and a `messages` row; false when the membership is a LEFT JOIN's null).
 * The part of {@link visibleToMember} that a reader needs apart, such as one that tells "hidden"
 * from "not in the history" ({@link canSee} takes what it finds).
 */
export function deletedForMember(message: string, membership: string): Prisma.Sql {
  return Prisma.raw(hiddenFrom(alias(message), alias(membership)));
}

/**
 * SQL: the message row `message` is one the member `membership` sees (the aliases of a
 * `messages` and a `memberships` row in the statement). The SQL form of {@link canSee}.
 * @example Prisma.sql`SELECT m.* FROM messages m JOIN memberships mb ON … WHERE ${visibleToMember('m', 'mb')}`
 */
export function visibleToMember(message: string, membership: string): Prisma.Sql {
  const [m, mb] = [alias(message), alias(membership)];
  return Prisma.raw(
    `${m}.conversation_id = ${mb}.conversation_id AND ${m}.seq > GREATEST(${mb}.hidden_up_to_seq, ${mb}.joined_seq)` +
      ` AND (${mb}.removed_seq IS NULL OR ${m}.updated_seq <= ${mb}.removed_seq) AND NOT ${hiddenFrom(m, mb)}`,
  );
}

/**
 * SQL: the member `membership` (a `memberships` row's alias) is told of the message at `seq`
 * and of its later changes: they see it and were not removed.
 * @param seq a number, or an SQL expression such as `Prisma.raw('m.seq')`
 */
export function seesSeq(membership: string, seq: number | Prisma.Sql): Prisma.Sql {
  const mb = alias(membership);
  return Prisma.sql`(${currentMember(mb)} AND ${Prisma.raw(`GREATEST(${mb}.hidden_up_to_seq, ${mb}.joined_seq)`)} < ${seq})`;
}

/**
 * SQL: the member `membership` is told of a change to the message row `message` (an edit, a
 * deletion): they are told of its seq ({@link seesSeq}) and did not delete it for themselves.
 * A new message is hidden from nobody: its recipients are {@link seesSeq}'s alone.
 */
export function toldOfChange(membership: string, message: string): Prisma.Sql {
  const [mb, m] = [alias(membership), alias(message)];
  return Prisma.sql`(${seesSeq(mb, Prisma.raw(`${m}.seq`))} AND NOT ${Prisma.raw(hiddenFrom(m, mb))})`;
}

/**
 * SQL: the latest message of the conversation row `conversation` that the member `membership`
 * sees (a row of `messages`, for a LATERAL join): its latest message, or for one removed from
 * the group the one of their removal — or, when the member does not see that one, the latest
 * before it that they do.
 */
export function lastVisibleMessage(conversation: string, membership: string): Prisma.Sql {
  const [c, mb] = [alias(conversation), alias(membership)];
  return Prisma.sql`SELECT * FROM messages lm WHERE lm.conversation_id = ${Prisma.raw(`${c}.id`)}
    AND lm.seq <= ${Prisma.raw(`LEAST(${c}.last_message_seq, COALESCE(${mb}.removed_seq, ${c}.last_message_seq))`)}
    AND ${visibleToMember('lm', mb)}
    ORDER BY lm.seq DESC LIMIT 1`;
}

/** SQL: the member `membership` (a `memberships` row's alias) was not removed: they are told of changes. */
export function currentMember(membership: string): Prisma.Sql {
  return Prisma.raw(`${alias(membership)}.removed_seq IS NULL`);
}

/** SQL: the SQL form of {@link isListed}, over the aliases of a `conversations` and a `memberships` row. */
export function listedForMember(conversation: string, membership: string): Prisma.Sql {
  const [c, mb] = [alias(conversation), alias(membership)];
  return Prisma.raw(`(${mb}.hidden_up_to_seq = 0 OR ${c}.last_message_seq > ${mb}.hidden_up_to_seq)`);
}

/**
 * When a conversation last changed for a member, for ordering their list: for one removed from
 * the group, the moment of their removal (what came after is not theirs to see, its timing
 * included); else its latest message, or its creation.
 */
export function activityForMember(conversation: string, membership: string): Prisma.Sql {
  const [c, mb] = [alias(conversation), alias(membership)];
  return Prisma.raw(`COALESCE((SELECT r.created_at FROM messages r WHERE r.conversation_id = ${c}.id AND r.seq = ${mb}.removed_seq), ${c}.last_message_at, ${c}.created_at)`);
}
