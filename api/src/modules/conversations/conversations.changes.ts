/**
 * The one way a change enters a conversation: a message sent (of any kind), edited or
 * deleted, and the SYSTEM message of a membership or title change. Each takes the
 * conversation's next `seq` in the statement or transaction that writes it (the row lock
 * orders concurrent writers; a change that rolls back gives its number back, so the
 * sequence has no gaps) and comes back with what its event needs: the row, who is told
 * (the members whose history holds it, by the visibility rule) and, for a reply, which of
 * them do not see what it replies to.
 *
 * Sends are the hot write, so they are committed in groups: the sends that arrive while
 * one group is in flight go out together as one statement (see core/batcher.ts), in lanes
 * by conversation.
 */
import { v7 as uuidv7 } from 'uuid';
import { Batcher } from '../../core/batcher.js';
import type { Prisma as PrismaClient } from '../../core/db/database.js';
import { MESSAGE_COLUMNS, pickColumns, selectColumns, USER_COLUMNS } from '../../core/db/rows.js';
import type { Sql } from '../../core/db/sql.js';
import { foreignKeyViolated, uniqueViolationField } from '../../core/errors.js';
import type { SenderCard } from '../../core/events.js';
import { Prisma, type Message } from '../../generated/prisma/client.js';
import type { SystemEventRecord } from '../messages/messages.records.js';
import { seesSeq, toldOfChange, visibleToMember } from './visibility.js';

/** A Prisma transaction client. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/**
 * What a message says, by kind. A new kind of message (photos, files, stickers) is a new
 * case here and in {@link columnsOf}; the rest of the send path does not change.
 */
export type MessageContent =
  | { kind: 'TEXT'; body: string }
  | { kind: 'STICKER'; stickerId: string }
  /** Photos (uploaded as such by the sender, not yet sent), in order, with a Markdown caption that may be empty. */
  | { kind: 'IMAGE'; caption: string; mediaIds: string[] }
  /** One file, with a caption that may be empty. */
  | { kind: 'FILE'; caption: string; mediaIds: [string] };

export interface NewMessage {
  conversationId: string;
  senderId: string;
  /** The sender's idempotency key (unique per sender). */
  clientMsgId: string;
  replyToId: string | null;
  content: MessageContent;
}

/** The columns a message's content fills, and the media attached to it in order (message_attachments). */
function columnsOf(content: MessageContent): { kind: Message['kind']; body: string; stickerId: string | null; mediaIds: string[] } {
  switch (content.kind) {
    case 'TEXT':
      return { kind: 'TEXT', body: content.body, stickerId: null, mediaIds: [] };
    case 'STICKER':
      return { kind: 'STICKER', body: '', stickerId: content.stickerId, mediaIds: [] };
    case 'IMAGE':
    case 'FILE':
      return { kind: content.kind, body: content.caption, stickerId: null, mediaIds: content.mediaIds };
  }
}

/** The sender's card, read in the send's own statement (see {@link SenderCard}): the users' columns it holds. */
const SENDER_COLUMNS = {
  id: USER_COLUMNS.id,
  username: USER_COLUMNS.username,
  displayName: USER_COLUMNS.displayName,
  bio: USER_COLUMNS.bio,
  createdAt: USER_COLUMNS.createdAt,
} satisfies { [K in keyof SenderCard]-?: string };

/** SQL: the recipients of the new message row `m` in the statement — the members who see it (visibility.ts). */
const RECIPIENTS_OF_M = Prisma.sql`ARRAY(
  SELECT mb.user_id::text FROM memberships mb WHERE mb.conversation_id = m.conversation_id AND ${seesSeq('mb', Prisma.raw('m.seq'))}
)`;

/** SQL: the recipients of a change to the message row `m` — those members less any who deleted it for themselves. */
const RECIPIENTS_OF_CHANGED_M = Prisma.sql`ARRAY(
  SELECT mb.user_id::text FROM memberships mb WHERE mb.conversation_id = m.conversation_id AND ${toldOfChange('mb', 'm')}
)`;

/**
 * SQL: for a reply `m` in the statement, those of the members `told` (a condition on the
 * `memberships` row `mb`) who do not see the message it replies to (visibility.ts): their
 * `replyTo` is null. Decided here, once, so that its event is executed once for them and once
 * for the rest (events.sharing.ts), not once for each recipient. Null for a message that replies to nothing.
 */
function replyTargetUnseenBy(told: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN m.reply_to_id IS NOT NULL THEN ARRAY(
    SELECT mb.user_id::text FROM memberships mb WHERE mb.conversation_id = m.conversation_id AND ${told}
      AND NOT EXISTS (SELECT 1 FROM messages t WHERE t.id = m.reply_to_id AND ${visibleToMember('t', 'mb')})
  ) END`;
}

const REPLY_TARGET_UNSEEN_BY_RECIPIENTS_OF_M = replyTargetUnseenBy(seesSeq('mb', Prisma.raw('m.seq')));
const REPLY_TARGET_UNSEEN_BY_RECIPIENTS_OF_CHANGED_M = replyTargetUnseenBy(toldOfChange('mb', 'm'));

/** What a change's event needs besides the message: who is told, and who of them does not see what it replies to. */
interface Told {
  /** The members who are told: everyone whose history holds it. */
  recipients: string[];
  /**
   * For a reply, those of `recipients` who do not see the message it replies to; null for a
   * message that replies to nothing, or when the recipients were read apart from the change.
   */
  replyTargetUnseenBy: string[] | null;
}

export interface Appended extends Told {
  message: Message;
  /** Who sent it, as of the send. */
  sender: SenderCard | null;
}

export interface Revised extends Told {
  message: Message;
}

/** An edit or a deletion (a tombstone: the body is emptied). */
export type Revision = { kind: 'EDIT'; body: string } | { kind: 'DELETE' };

/** Another send already holds this sender's clientMsgId: the caller returns that one instead. */
export class DuplicateSend extends Error {}

/** Another message took one of this send's media first (each media row is attached once). */
export class MediaAlreadySent extends Error {}

/** One of this send's media is gone since it was checked (the sweep removed an upload left unused too long). */
export class MediaGone extends Error {}

const SEND_LANES = 8;

/** A conversation's lane. */
function laneOf(conversationId: string): number {
  let hash = 0;
  for (let i = 0; i < conversationId.length; i++) hash = (hash * 31 + conversationId.charCodeAt(i)) | 0;
  return Math.abs(hash) % SEND_LANES;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Everyone in the conversation right now (as seen inside the transaction, given one): who is
 * told of a membership change. Not the members an admin removed (visibility.ts): they keep a
 * read-only membership and are told nothing more.
 */
export async function memberIds(db: Tx | PrismaClient, conversationId: string): Promise<string[]> {
  const rows = await db.membership.findMany({ where: { conversationId, removedSeq: null }, select: { userId: true } });
  return rows.map((row) => row.userId);
}

export class ChangeLog {
  /**
   * Sends go in lanes by conversation: one conversation's sends are written in order, while a
   * conversation whose row lock is held a long time (a big transaction) holds up its lane only.
   */
  private readonly lanes: Batcher<NewMessage, Appended | null>[];

  constructor(private readonly sql: Sql) {
    this.lanes = Array.from({ length: SEND_LANES }, () => new Batcher((batch: NewMessage[]) => this.appendAll(batch)));
  }

  /**
   * Stores a message at its conversation's next seq, makes it the conversation's latest
   * message and the sender's read cursor; answered after commit.
   * @returns null when the conversation is gone
   * @throws DuplicateSend when a send with the same sender and clientMsgId committed first
   */
  append(message: NewMessage): Promise<Appended | null> {
    return this.lanes[laneOf(message.conversationId)]!.add(message);
  }

  /** Edits or deletes a message at the conversation's next seq; null when it is gone. */
  async revise(message: Pick<Message, 'id' | 'conversationId' | 'seq'>, revision: Revision): Promise<Revised | null> {
    const body = revision.kind === 'EDIT' ? revision.body : '';
    const rows = await this.sql.rows<Message & { recipients: string[]; reply_target_unseen_by: string[] | null }>`
      WITH next AS (
        UPDATE conversations SET seq = seq + 1, updated_at = now()
        WHERE id = ${message.conversationId}::uuid
        RETURNING seq
      ), m AS (
        UPDATE messages SET body = ${body}, updated_seq = next.seq,
          edited_at = CASE WHEN ${revision.kind === 'EDIT'} THEN now() ELSE edited_at END,
          deleted_at = CASE WHEN ${revision.kind === 'DELETE'} THEN now() ELSE deleted_at END
        FROM next
        WHERE id = ${message.id}::uuid
        RETURNING messages.*
      )
      SELECT ${selectColumns('m', MESSAGE_COLUMNS)}, ${RECIPIENTS_OF_CHANGED_M} AS recipients,
        ${REPLY_TARGET_UNSEEN_BY_RECIPIENTS_OF_CHANGED_M} AS reply_target_unseen_by
      FROM m`;
    const row = rows[0];
    if (!row) return null;
    const { recipients, reply_target_unseen_by: replyTargetUnseenBy, ...changed } = row;
    return { message: changed, recipients, replyTargetUnseenBy };
  }

  /** Records a membership or title change as a SYSTEM message at the next seq, inside the change's transaction. */
  async record(tx: Tx, conversationId: string, event: SystemEventRecord): Promise<Message> {
    const rows = await tx.$queryRaw<{ seq: number }[]>`
      UPDATE conversations
      SET seq = seq + 1, last_message_seq = seq + 1, last_message_at = now(), updated_at = now()
      WHERE id = ${conversationId}::uuid
      RETURNING seq`;
    if (!rows[0]) throw new Error(`conversation ${conversationId} vanished inside its own change`);
    const { seq } = rows[0];
    return tx.message.create({ data: { conversationId, seq, updatedSeq: seq, senderId: event.actorId, kind: 'SYSTEM', body: '', event } });
  }

  /** The members who see the message at `seq` (see visibility.ts). */
  async membersSeeing(conversationId: string, seq: number): Promise<string[]> {
    const rows = await this.sql.rows<{ user_id: string }>`
      SELECT mb.user_id::text AS user_id FROM memberships mb
      WHERE mb.conversation_id = ${conversationId}::uuid AND ${seesSeq('mb', seq)}`;
    return rows.map((row) => row.user_id);
  }

  /**
   * One group of sends, one statement. When it fails, nothing of it was written (its seqs are
   * given back): one send's trouble — its clientMsgId taken by a twin, its sender's account
   * deleted a moment ago, a deadlock — must not fail the others, so the group is sent again one
   * by one, in order, and each answers for itself.
   */
  private async appendAll(batch: NewMessage[]): Promise<(Appended | null | Error)[]> {
    try {
      return await this.insert(batch);
    } catch (error) {
      if (batch.length === 1) {
        const field = uniqueViolationField(error);
        if (foreignKeyViolated(error, 'message_attachments', 'media_id')) return [new MediaGone()];
        return [field === 'senderIdClientMsgId' ? new DuplicateSend() : field === 'mediaId' ? new MediaAlreadySent() : asError(error)];
      }
      const answers: (Appended | null | Error)[] = [];
      for (const one of batch) answers.push((await this.appendAll([one]))[0]!);
      return answers;
    }
  }

  private async insert(batch: NewMessage[]): Promise<(Appended | null)[]> {
    const ids = batch.map(() => uuidv7());
    const rows = batch.length === 1 ? await this.insertOne(ids[0]!, batch[0]!) : await this.insertMany(ids, batch);
    const byId = new Map(rows.map((row) => [row.id as string, row]));
    return Promise.all(
      ids.map(async (id) => {
        const row = byId.get(id);
        if (!row) return null; // its conversation is gone
        const message = pickColumns(row, MESSAGE_COLUMNS)!;
        // Committed by now: if its recipients cannot be read, it is still acknowledged, and its
        // members find it at their next change in the conversation (a gap) or their next sync.
        // Read again, they come without who sees a reply's target: each is asked at delivery.
        const told = row.recipients as string[] | null;
        const recipients = told ?? (await this.membersSeeing(message.conversationId, message.seq).catch(() => []));
        const replyTargetUnseenBy = told ? (row.reply_target_unseen_by as string[] | null) : null;
        return { message, sender: pickColumns<SenderCard>(row, SENDER_COLUMNS, 's_'), recipients, replyTargetUnseenBy };
      }),
    );
  }

  /**
   * A group of one, the usual case below a few hundred sends a second: the same write as
   * {@link insertMany} without its bookkeeping (unnest, numbering, a separate lock), which
   * cost PostgreSQL more CPU per send than grouping saved.
   */
  private insertOne(id: string, message: NewMessage): Promise<Record<string, unknown>[]> {
    const { conversationId, senderId, clientMsgId, replyToId } = message;
    const { kind, body, stickerId, mediaIds } = columnsOf(message.content);
    // `seen` is the statement's snapshot; `next` waited for the row lock and took the latest commit's
    // seq. When they differ, a change committed in between (it may have added a member), so the
    // recipients are read again after this commit.
    return this.sql.rows<Record<string, unknown>>`
      WITH seen AS (
        SELECT seq FROM conversations WHERE id = ${conversationId}::uuid
      ), next AS (
        UPDATE conversations
        SET seq = seq + 1, last_message_seq = seq + 1, last_message_at = now(), updated_at = now()
        WHERE id = ${conversationId}::uuid
        RETURNING seq
      ), m AS (
        INSERT INTO messages (id, conversation_id, seq, updated_seq, sender_id, kind, body, sticker_id, reply_to_id, client_msg_id)
        SELECT ${id}::uuid, ${conversationId}::uuid, next.seq, next.seq, ${senderId}::uuid, ${kind}::"MessageKind", ${body}, ${stickerId}::uuid, ${replyToId}::uuid, ${clientMsgId}
        FROM next
        RETURNING *
      ), attached AS (
        INSERT INTO message_attachments (message_id, media_id, position)
        SELECT m.id, a.media_id, a.position FROM m, unnest(${mediaIds}::uuid[]) WITH ORDINALITY AS a(media_id, position)
      ), own_read AS (
        UPDATE memberships SET last_read_seq = next.seq
        FROM next
        WHERE conversation_id = ${conversationId}::uuid AND user_id = ${senderId}::uuid
      )
      SELECT ${selectColumns('m', MESSAGE_COLUMNS)}, ${selectColumns('u', SENDER_COLUMNS, 's_')},
        CASE WHEN m.seq = seen.seq + 1 THEN ${RECIPIENTS_OF_M} END AS recipients,
        CASE WHEN m.seq = seen.seq + 1 THEN ${REPLY_TARGET_UNSEEN_BY_RECIPIENTS_OF_M} END AS reply_target_unseen_by
      FROM m CROSS JOIN seen
      LEFT JOIN users u ON u.id = m.sender_id`;
  }

  /** Several sends, possibly to several conversations, in one statement. */
  private insertMany(ids: string[], batch: NewMessage[]): Promise<Record<string, unknown>[]> {
    const contents = batch.map((message) => columnsOf(message.content));
    // Every send's media as flat columns: the message (by its id), the media, its place.
    const attachments = contents.flatMap((content, i) => content.mediaIds.map((mediaId, position) => ({ messageId: ids[i]!, mediaId, position: position + 1 })));
    // Conversations are locked in id order: two instances' groups that touch the same
    // conversations cannot deadlock. `seen` is the statement's snapshot; `locked` waited for
    // the row lock and reads the latest commit. When they differ, a change committed in
    // between (it may have added a member), so the recipients are read again after this commit.
    return this.sql.rows<Record<string, unknown>>`
      WITH input AS (
        SELECT * FROM unnest(${ids}::uuid[], ${batch.map((m) => m.conversationId)}::uuid[], ${batch.map((m) => m.senderId)}::uuid[],
          ${contents.map((c) => c.kind)}::text[], ${contents.map((c) => c.body)}::text[], ${contents.map((c) => c.stickerId)}::uuid[],
          ${batch.map((m) => m.replyToId)}::uuid[], ${batch.map((m) => m.clientMsgId)}::text[])
          WITH ORDINALITY AS i(id, conversation_id, sender_id, kind, body, sticker_id, reply_to_id, client_msg_id, n)
      ), counts AS (
        SELECT conversation_id, count(*)::int AS k FROM input GROUP BY conversation_id
      ), seen AS (
        SELECT c.id, c.seq FROM conversations c WHERE c.id IN (SELECT conversation_id FROM counts)
      ), locked AS MATERIALIZED (
        SELECT c.id, c.seq FROM conversations c WHERE c.id IN (SELECT conversation_id FROM counts) ORDER BY c.id FOR UPDATE
      ), bumped AS (
        UPDATE conversations c
        SET seq = locked.seq + counts.k, last_message_seq = locked.seq + counts.k, last_message_at = now(), updated_at = now()
        FROM locked JOIN counts ON counts.conversation_id = locked.id
        WHERE c.id = locked.id
        RETURNING c.id, locked.seq AS base
      ), numbered AS (
        SELECT input.*, bumped.base + row_number() OVER (PARTITION BY input.conversation_id ORDER BY input.n) AS seq
        FROM input JOIN bumped ON bumped.id = input.conversation_id
      ), m AS (
        INSERT INTO messages (id, conversation_id, seq, updated_seq, sender_id, kind, body, sticker_id, reply_to_id, client_msg_id)
        SELECT id, conversation_id, seq, seq, sender_id, kind::"MessageKind", body, sticker_id, reply_to_id, client_msg_id FROM numbered
        RETURNING *
      ), attached AS (
        INSERT INTO message_attachments (message_id, media_id, position)
        SELECT a.message_id, a.media_id, a.position
        FROM unnest(${attachments.map((a) => a.messageId)}::uuid[], ${attachments.map((a) => a.mediaId)}::uuid[], ${attachments.map((a) => a.position)}::int[])
          AS a(message_id, media_id, position)
        JOIN m ON m.id = a.message_id
      ), own_read AS (
        UPDATE memberships mb SET last_read_seq = r.seq
        FROM (SELECT conversation_id, sender_id, max(seq) AS seq FROM numbered GROUP BY conversation_id, sender_id) r
        WHERE mb.conversation_id = r.conversation_id AND mb.user_id = r.sender_id
      )
      SELECT ${selectColumns('m', MESSAGE_COLUMNS)},
        ${selectColumns('u', SENDER_COLUMNS, 's_')},
        CASE WHEN seen.seq = bumped.base THEN ${RECIPIENTS_OF_M} END AS recipients,
        CASE WHEN seen.seq = bumped.base THEN ${REPLY_TARGET_UNSEEN_BY_RECIPIENTS_OF_M} END AS reply_target_unseen_by
      FROM m
      JOIN bumped ON bumped.id = m.conversation_id
      JOIN seen ON seen.id = m.conversation_id
      LEFT JOIN users u ON u.id = m.sender_id`;
  }
}
