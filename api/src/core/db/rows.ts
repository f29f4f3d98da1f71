/**
 * Rows of the hot paths read with raw SQL (one statement where Prisma would send two or
 * six) but handed on in exactly the shape Prisma's client gives: the same field names
 * and types. rows.test.ts holds each list to its model's scalar fields.
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Conversation, Membership, Message } from '../../generated/prisma/client.js';

/** A model's fields and the SQL expression of each (its column, with a cast where Prisma's type needs one). */
type Columns<T> = { [K in keyof T]-?: string };

export const MEMBERSHIP_COLUMNS: Columns<Membership> = {
  conversationId: 'conversation_id',
  userId: 'user_id',
  role: 'role::text',
  lastReadSeq: 'last_read_seq',
  muted: 'muted',
  hiddenUpToSeq: 'hidden_up_to_seq',
  joinedSeq: 'joined_seq',
  joinedAt: 'joined_at',
};

export const CONVERSATION_COLUMNS: Columns<Conversation> = {
  id: 'id',
  kind: 'kind::text',
  title: 'title',
  avatarId: 'avatar_id',
  directKey: 'direct_key',
  seq: 'seq',
  lastMessageSeq: 'last_message_seq',
  lastMessageAt: 'last_message_at',
  createdById: 'created_by_id',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

export const MESSAGE_COLUMNS: Columns<Message> = {
  id: 'id',
  conversationId: 'conversation_id',
  seq: 'seq',
  updatedSeq: 'updated_seq',
  senderId: 'sender_id',
  kind: 'kind::text',
  body: 'body',
  event: 'event',
  mediaId: 'media_id',
  stickerId: 'sticker_id',
  replyToId: 'reply_to_id',
  clientMsgId: 'client_msg_id',
  editedAt: 'edited_at',
  deletedAt: 'deleted_at',
  createdAt: 'created_at',
};

/** `alias.column AS "<prefix>field", …` for a SELECT list. */
export function selectColumns<T>(alias: string, columns: Columns<T>, prefix = ''): Prisma.Sql {
  return Prisma.raw(Object.entries<string>(columns).map(([field, column]) => `${alias}.${column} AS "${prefix}${field}"`).join(', '));
}

/** The fields of one model out of a joined row; null when its first column is null (an unmatched LEFT JOIN). */
export function pickColumns<T>(row: Record<string, unknown>, columns: Columns<T>, prefix = ''): T | null {
  const fields = Object.keys(columns);
  if (row[`${prefix}${fields[0]}`] == null) return null;
  return Object.fromEntries(fields.map((field) => [field, row[`${prefix}${field}`]])) as T;
}
