/**
 * Rows of the hot paths read with raw SQL (one statement where Prisma would send two or
 * six) but handed on in exactly the shape Prisma's client gives: the same field names
 * and types. rows.test.ts holds each list to its model's scalar fields.
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Conversation, Membership, Message, User } from '../../generated/prisma/client.js';

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
  removedSeq: 'removed_seq',
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

export const USER_COLUMNS: Columns<User> = {
  id: 'id',
  username: 'username::text',
  email: 'email',
  emailVerifiedAt: 'email_verified_at',
  passwordHash: 'password_hash',
  displayName: 'display_name',
  bio: 'bio',
  avatarId: 'avatar_id',
  locale: 'locale',
  whoCanMessage: 'who_can_message::text',
  whoCanFind: 'who_can_find::text',
  whoSeesLastSeen: 'who_sees_last_seen::text',
  totpSecret: 'totp_secret',
  totpEnabledAt: 'totp_enabled_at',
  totpLastStep: 'totp_last_step',
  recoveryCodes: 'recovery_codes',
  lastSeenAt: 'last_seen_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
const USER_TIMES = ['emailVerifiedAt', 'totpEnabledAt', 'lastSeenAt', 'createdAt', 'updatedAt'] as const;

/** Users as one JSON array value (`json_agg` over `selectColumns('u', USER_COLUMNS)`), back in Prisma's shape. */
export function usersFromJson(rows: Record<string, unknown>[] | null): User[] {
  return (rows ?? []).map((row) => {
    const user = { ...row } as Record<string, unknown>;
    for (const field of USER_TIMES) user[field] = row[field] == null ? null : new Date(row[field] as string);
    return user as unknown as User;
  });
}

/** `alias.column AS "<prefix>field", …` for a SELECT list. */
export function selectColumns<T>(alias: string, columns: Columns<T>, prefix = ''): Prisma.Sql {
  return Prisma.raw(Object.entries<string>(columns).map(([field, column]) => `${alias}.${column} AS "${prefix}${field}"`).join(', '));
}

/** The fields of one model out of a joined row; null when its first column is null (an unmatched LEFT JOIN). */
export function pickColumns<T>(row: Record<string, unknown>, columns: Columns<T>, prefix = ''): T | null {
  const names = namesOf(columns, prefix);
  if (row[names[0]![1]] == null) return null;
  const picked: Record<string, unknown> = {};
  for (const [field, column] of names) picked[field] = row[column];
  return picked as T;
}

/** [field, column in the row] pairs, worked out once per model and prefix (a page reads them for every row). */
const names = new Map<object, Map<string, [string, string][]>>();
function namesOf(columns: object, prefix: string): [string, string][] {
  let byPrefix = names.get(columns);
  if (!byPrefix) names.set(columns, (byPrefix = new Map()));
  let pairs = byPrefix.get(prefix);
  if (!pairs) byPrefix.set(prefix, (pairs = Object.keys(columns).map((field) => [field, `${prefix}${field}`])));
  return pairs;
}
