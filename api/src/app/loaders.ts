/**
 * Per-request batching (DataLoader): however many conversations, members or messages a
 * response lists, each kind of row costs one query. A subscription gets fresh loaders
 * for every event, so nothing stale is served from a long-lived cache.
 */
import DataLoader from 'dataloader';
import type { Prisma } from '../core/db/database.js';
import { MESSAGE_COLUMNS, selectColumns, USER_COLUMNS } from '../core/db/rows.js';
import type { Sql } from '../core/db/sql.js';
import type { Conversation, Media, Membership, Message, User } from '../generated/prisma/client.js';
import { lastVisibleMessage, visibleToMember } from '../modules/conversations/visibility.js';
import type { StickerWithMedia } from '../modules/stickers/stickers.repository.js';

/** How the viewer and another user stand to each other; decides what the viewer may see of them. */
export interface Relation {
  /** The viewer has them in contacts. */
  viewerHasContact: boolean;
  /** They have the viewer in contacts. */
  theyHaveContact: boolean;
  viewerBlocked: boolean;
  theyBlocked: boolean;
}

export interface OnlineSource {
  online(userIds: readonly string[]): Promise<boolean[]>;
}

/** How `viewerId` stands to each of `userIds`: two queries however many users. */
export async function loadRelations(prisma: Prisma, viewerId: string, userIds: readonly string[]): Promise<Relation[]> {
  const ids = [...userIds];
  const [contacts, blocks] = await Promise.all([
    prisma.contact.findMany({
      where: { OR: [{ ownerId: viewerId, contactId: { in: ids } }, { ownerId: { in: ids }, contactId: viewerId }] },
      select: { ownerId: true, contactId: true },
    }),
    prisma.block.findMany({
      where: { OR: [{ blockerId: viewerId, blockedId: { in: ids } }, { blockerId: { in: ids }, blockedId: viewerId }] },
      select: { blockerId: true, blockedId: true },
    }),
  ]);
  return ids.map((id) => ({
    viewerHasContact: contacts.some((c) => c.ownerId === viewerId && c.contactId === id),
    theyHaveContact: contacts.some((c) => c.ownerId === id && c.contactId === viewerId),
    viewerBlocked: blocks.some((b) => b.blockerId === viewerId && b.blockedId === id),
    theyBlocked: blocks.some((b) => b.blockerId === id && b.blockedId === viewerId),
  }));
}

function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

/**
 * Loaders of rows that read the same whoever asks. An event delivered to many
 * subscribers shares one set, so its rows are read once however many recipients.
 */
export function createRowLoaders(prisma: Prisma, sql: Sql) {
  return {
    // Every delivered message shows its sender: this read goes straight to the pool (see db/sql.ts).
    user: new DataLoader<string, User | null>(async (ids) =>
      byKey(ids, await sql.rows<User>`SELECT ${selectColumns('u', USER_COLUMNS)} FROM users u WHERE u.id = ANY(${[...ids]}::uuid[])`, (u) => u.id),
    ),
    conversation: new DataLoader<string, Conversation | null>(async (ids) =>
      byKey(ids, await prisma.conversation.findMany({ where: { id: { in: [...ids] } } }), (c) => c.id),
    ),
    message: new DataLoader<string, Message | null>(async (ids) =>
      byKey(ids, await prisma.message.findMany({ where: { id: { in: [...ids] } } }), (m) => m.id),
    ),
    /** Media rows by id (avatars). */
    media: new DataLoader<string, Media | null>(async (ids) =>
      byKey(ids, await prisma.media.findMany({ where: { id: { in: [...ids] } } }), (m) => m.id),
    ),
    /** Each message's photos or file, in order. */
    attachments: new DataLoader<string, Media[]>(async (messageIds) => {
      const rows = await prisma.messageAttachment.findMany({
        where: { messageId: { in: [...messageIds] } },
        orderBy: [{ messageId: 'asc' }, { position: 'asc' }],
        include: { media: true },
      });
      return messageIds.map((id) => rows.filter((row) => row.messageId === id).map((row) => row.media));
    }),
    /** Stickers by id with their images, deleted ones too (a sent sticker keeps showing). */
    sticker: new DataLoader<string, StickerWithMedia | null>(async (ids) =>
      byKey(ids, await prisma.sticker.findMany({ where: { id: { in: [...ids] } }, include: { media: true } }), (s) => s.id),
    ),
    /** Members of each conversation, oldest first (not those removed, who keep a read-only copy). */
    members: new DataLoader<string, Membership[]>(async (conversationIds) => {
      const rows = await prisma.membership.findMany({
        where: { conversationId: { in: [...conversationIds] }, removedSeq: null },
        orderBy: [{ joinedAt: 'asc' }, { userId: 'asc' }],
      });
      return conversationIds.map((id) => rows.filter((row) => row.conversationId === id));
    }),
  };
}

export type RowLoaders = ReturnType<typeof createRowLoaders>;

/** A group as a member removed from it last saw it (see `asRemovedSaw`). */
export interface RemovedView {
  conversationId: string;
  /** null when no title change is on record up to the removal (the row's own title stands). */
  title: string | null;
  /** The picture as of the removal; null for none. */
  avatarId: string | null;
  removedAt: Date;
}

/** @param rows loaders of viewer-independent rows to use (shared by an event's recipients) @default fresh ones */
export function createLoaders(prisma: Prisma, sql: Sql, presence: OnlineSource, viewerId: string | null, rows: RowLoaders = createRowLoaders(prisma, sql)) {
  const viewer = viewerId ?? '00000000-0000-0000-0000-000000000000';
  const myMembership = new DataLoader<string, Membership | null>(async (conversationIds) =>
    byKey(
      conversationIds,
      await prisma.membership.findMany({ where: { userId: viewer, conversationId: { in: [...conversationIds] } } }),
      (m) => m.conversationId,
    ),
  );
  return {
    ...rows,
    /** The viewer's own membership of each conversation. */
    myMembership,
    /**
     * Messages by id, each only if the viewer sees it (reply previews): one statement, the rule's
     * SQL form (visibility.ts) with the viewer's membership and what they deleted for themselves.
     */
    visibleMessage: new DataLoader<string, Message | null>(async (ids) =>
      byKey(
        ids,
        await sql.rows<Message>`
          SELECT ${selectColumns('m', MESSAGE_COLUMNS)}
          FROM messages m
          JOIN memberships mb ON mb.conversation_id = m.conversation_id AND mb.user_id = ${viewer}::uuid
          WHERE m.id = ANY(${[...ids]}::uuid[]) AND ${visibleToMember('m', 'mb')}`,
        (m) => m.id,
      ),
    ),
    /**
     * A group as the viewer last saw it, for one they were removed from: its title and picture
     * as of their removal (the latest GROUP_CREATED / TITLE_CHANGED and AVATAR_CHANGED up to it)
     * and the removal's moment. Null for a conversation they were not removed from.
     */
    asRemovedSaw: new DataLoader<string, RemovedView | null>(async (conversationIds) =>
      byKey(
        conversationIds,
        await sql.rows<RemovedView>`
          SELECT mb.conversation_id AS "conversationId",
            (SELECT m.event->>'title' FROM messages m
              WHERE m.conversation_id = mb.conversation_id AND m.seq <= mb.removed_seq AND m.kind = 'SYSTEM' AND m.event->>'type' IN ('GROUP_CREATED', 'TITLE_CHANGED')
              ORDER BY m.seq DESC LIMIT 1) AS title,
            (SELECT m.event->>'mediaId' FROM messages m
              WHERE m.conversation_id = mb.conversation_id AND m.seq <= mb.removed_seq AND m.kind = 'SYSTEM' AND m.event->>'type' = 'AVATAR_CHANGED'
              ORDER BY m.seq DESC LIMIT 1) AS "avatarId",
            (SELECT m.created_at FROM messages m WHERE m.conversation_id = mb.conversation_id AND m.seq = mb.removed_seq) AS "removedAt"
          FROM memberships mb
          WHERE mb.user_id = ${viewer}::uuid AND mb.conversation_id = ANY(${[...conversationIds]}::uuid[]) AND mb.removed_seq IS NOT NULL`,
        (row) => row.conversationId,
      ),
    ),
    /** The latest message of each conversation that the viewer sees (the list's preview). */
    lastMessage: new DataLoader<string, Message | null>(async (conversationIds) =>
      byKey(
        conversationIds,
        await sql.rows<Message>`
          SELECT ${selectColumns('m', MESSAGE_COLUMNS)}
          FROM memberships mb
          JOIN conversations c ON c.id = mb.conversation_id
          JOIN LATERAL (${lastVisibleMessage('c', 'mb')}) m ON true
          WHERE mb.user_id = ${viewer}::uuid AND mb.conversation_id = ANY(${[...conversationIds]}::uuid[])`,
        (m) => m.conversationId,
      ),
    ),
    /** How many messages of each conversation the viewer deleted for themselves: their cursor for `sync` (0 for none). */
    hiddenSeq: new DataLoader<string, number>(async (conversationIds) => {
      const rows = await sql.rows<{ conversation_id: string; hidden_seq: number }>`
        SELECT conversation_id::text, max(hidden_seq) AS hidden_seq FROM hidden_messages
        WHERE user_id = ${viewer}::uuid AND conversation_id = ANY(${[...conversationIds]}::uuid[])
        GROUP BY conversation_id`;
      const seqs = new Map(rows.map((row) => [row.conversation_id, row.hidden_seq]));
      return conversationIds.map((id) => seqs.get(id) ?? 0);
    }),
    /** Messages from others after the viewer's read cursor, per conversation. */
    unreadCount: new DataLoader<string, number>(async (conversationIds) => {
      const rows = await prisma.$queryRaw<{ conversation_id: string; unread: number }[]>`
        SELECT m.conversation_id, count(*)::int AS unread
        FROM messages m
        JOIN memberships mb ON mb.conversation_id = m.conversation_id AND mb.user_id = ${viewer}::uuid
        WHERE m.conversation_id = ANY(${[...conversationIds]}::uuid[])
          AND ${visibleToMember('m', 'mb')} AND m.seq > mb.last_read_seq
          AND m.kind <> 'SYSTEM' AND m.deleted_at IS NULL
          AND m.sender_id IS DISTINCT FROM ${viewer}::uuid
        GROUP BY m.conversation_id`;
      const counts = new Map(rows.map((row) => [row.conversation_id, row.unread]));
      return conversationIds.map((id) => counts.get(id) ?? 0);
    }),
    relation: new DataLoader<string, Relation>((userIds) => loadRelations(prisma, viewer, userIds)),
    online: new DataLoader<string, boolean>((ids) => presence.online(ids)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
