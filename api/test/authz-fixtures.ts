/**
 * Shared by the authorization matrix and the bad-input tests: every messaging operation
 * as a GraphQL document, a group with one member of each role, and snapshots of what the
 * database holds, so a refused operation can be shown to have written nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { GraphQLResponse, TestServer } from './server.js';
import { registerUser, type TestUser } from './factories.js';
import { createGroup, MESSAGE_FIELDS, ok, send, type TestMessage } from './messenger.js';

/** A well-formed id that names nothing. */
export const MISSING_ID = randomUUID();
/** Something that is not an id at all. */
export const MALFORMED_ID = 'not-an-id';

/** Every query and mutation of the messaging API; variables are named after the arguments. */
export const OPS = {
  conversation: 'query($id: ID!) { conversation(id: $id) { id title myRole } }',
  conversations: 'query($first: Int! = 30, $after: String) { conversations(first: $first, after: $after) { nodes { id } } }',
  createDirectConversation: 'mutation($userId: ID!) { createDirectConversation(userId: $userId) { id } }',
  createGroup: 'mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }',
  renameGroup: 'mutation($id: ID!, $title: String!) { renameGroup(conversationId: $id, title: $title) { id title } }',
  addMembers: 'mutation($id: ID!, $userIds: [ID!]!) { addMembers(conversationId: $id, userIds: $userIds) { id } }',
  removeMember: 'mutation($id: ID!, $userId: ID!) { removeMember(conversationId: $id, userId: $userId) { id } }',
  setMemberRole:
    'mutation($id: ID!, $userId: ID!, $role: MemberRole!) { setMemberRole(conversationId: $id, userId: $userId, role: $role) { id } }',
  leaveConversation: 'mutation($id: ID!) { leaveConversation(conversationId: $id) }',
  deleteConversation: 'mutation($id: ID!, $forEveryone: Boolean!) { deleteConversation(conversationId: $id, forEveryone: $forEveryone) }',
  markRead: 'mutation($id: ID!, $seq: Int!) { markRead(conversationId: $id, seq: $seq) { id lastReadSeq } }',
  setMuted: 'mutation($id: ID!, $muted: Boolean!) { setMuted(conversationId: $id, muted: $muted) { id muted } }',
  setTyping: 'mutation($id: ID!) { setTyping(conversationId: $id) }',
  messages:
    'query($id: ID!, $before: Int, $after: Int, $limit: Int! = 50) { messages(conversationId: $id, before: $before, after: $after, limit: $limit) { messages { id } hasMore } }',
  changes:
    'query($id: ID!, $afterSeq: Int!, $limit: Int! = 100) { changes(conversationId: $id, afterSeq: $afterSeq, limit: $limit) { toSeq messages { id } } }',
  sync: 'query($cursors: [SyncCursorInput!]!) { sync(cursors: $cursors) { changes { conversation { id } messages { id } } removedConversationIds hasMore } }',
  searchMessages:
    'query($query: String!, $id: ID, $first: Int! = 20, $after: String) { searchMessages(query: $query, conversationId: $id, first: $first, after: $after) { nodes { id conversationId } } }',
  sendMessage: `mutation($input: SendMessageInput!) { sendMessage(input: $input) { ${MESSAGE_FIELDS} } }`,
  editMessage: 'mutation($id: ID!, $body: String!) { editMessage(messageId: $id, body: $body) { id body edited } }',
  deleteMessage: 'mutation($id: ID!) { deleteMessage(messageId: $id) { id deleted } }',
  deleteMessageForMe: 'mutation($id: ID!) { deleteMessageForMe(messageId: $id) }',
  searchUsers: 'query($query: String!, $first: Int! = 20) { searchUsers(query: $query, first: $first) { id } }',
  user: 'query($username: String!) { user(username: $username) { id } }',
  contacts: '{ contacts { id } }',
  blockedUsers: '{ blockedUsers { id } }',
  addContact: 'mutation($input: ContactInput!) { addContact(input: $input) { id } }',
  removeContact: 'mutation($userId: ID!) { removeContact(userId: $userId) }',
  blockUser: 'mutation($userId: ID!) { blockUser(userId: $userId) { id } }',
  unblockUser: 'mutation($userId: ID!) { unblockUser(userId: $userId) }',
  updateProfile: 'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { id displayName bio locale } }',
} as const;

export type OperationName = keyof typeof OPS;
export type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT';

/** Runs one operation of {@link OPS} as `user` (or without a session when `user` is null). */
export function run(server: TestServer, user: TestUser | null, op: OperationName, variables: Record<string, unknown> = {}): Promise<GraphQLResponse> {
  return server.gql(OPS[op], variables, user?.token);
}

/** What a caller learns from an answer: the first error's code and message, or 'ok'. */
export type Answer = { code: string; message: string } | 'ok';

export function outcomeOf(result: GraphQLResponse): Answer {
  const error = result.errors?.[0];
  return error ? { code: error.extensions.code, message: error.message } : 'ok';
}

export function expectOutcome(result: GraphQLResponse, expected: Outcome): void {
  const outcome = outcomeOf(result);
  expect(outcome === 'ok' ? 'ok' : outcome.code, JSON.stringify(result.errors ?? result.data)).toBe(expected);
}

/** BAD_USER_INPUT whose `extensions.fields` names `field`. */
export function expectBadInput(result: GraphQLResponse, field: string): void {
  expect(result.errors, JSON.stringify(result.data)).toHaveLength(1);
  const [error] = result.errors!;
  expect(error!.extensions.code, error!.message).toBe('BAD_USER_INPUT');
  const fields = (error!.extensions.fields ?? []) as { field: string }[];
  expect(fields.map((f) => f.field), `fields of "${error!.message}"`).toContain(field);
}

/** Letters only, so full-text search sees one word. */
export function uniqueWord(): string {
  return `w${randomBytes(6).toString('hex').replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;
}

/** The people around one group: a member of each role, and two who are not in it. */
export interface Cast {
  owner: TestUser;
  admin: TestUser;
  admin2: TestUser;
  member: TestUser;
  member2: TestUser;
  /** Signed in, in no conversation with anyone here. */
  stranger: TestUser;
  /** Not in the group; someone to add. */
  outsider: TestUser;
}

export async function registerCast(server: TestServer): Promise<Cast> {
  const [owner, admin, admin2, member, member2, stranger, outsider] = await Promise.all(
    Array.from({ length: 7 }, () => registerUser(server)),
  );
  return { owner: owner!, admin: admin!, admin2: admin2!, member: member!, member2: member2!, stranger: stranger!, outsider: outsider! };
}

export interface Group {
  id: string;
  /** A word that appears in every member's message, for search. */
  word: string;
  /** One text message by each member. */
  messages: Record<'owner' | 'admin' | 'admin2' | 'member' | 'member2', TestMessage>;
  /** The GROUP_CREATED message (seq 1, "sent" by the owner). */
  systemMessageId: string;
}

/** A fresh group: owner, two admins, two plain members, each of whom has said something. */
export async function createCastGroup(server: TestServer, cast: Cast): Promise<Group> {
  const id = await createGroup(server, cast.owner, [cast.admin, cast.admin2, cast.member, cast.member2], `Group ${uniqueWord()}`);
  for (const admin of [cast.admin, cast.admin2]) {
    ok(await run(server, cast.owner, 'setMemberRole', { id, userId: admin.id, role: 'ADMIN' }));
  }
  const word = uniqueWord();
  const messages = {} as Group['messages'];
  for (const role of ['owner', 'admin', 'admin2', 'member', 'member2'] as const) {
    messages[role] = await send(server, cast[role], id, `${word} from ${role}`);
  }
  const system = await server.db.prisma.message.findFirstOrThrow({ where: { conversationId: id, seq: 1 } });
  return { id, word, messages, systemMessageId: system.id };
}

/** Everything a refused operation on a conversation must leave as it was. */
export async function conversationState(server: TestServer, conversationId: string) {
  const { prisma } = server.db;
  const [conversation, members, messages, hidden] = await Promise.all([
    prisma.conversation.findUnique({ where: { id: conversationId }, select: { title: true, seq: true, lastMessageSeq: true } }),
    prisma.membership.findMany({
      where: { conversationId },
      orderBy: { userId: 'asc' },
      select: { userId: true, role: true, lastReadSeq: true, muted: true, hiddenUpToSeq: true },
    }),
    prisma.message.findMany({
      where: { conversationId },
      orderBy: { seq: 'asc' },
      select: { id: true, seq: true, updatedSeq: true, body: true, editedAt: true, deletedAt: true },
    }),
    // Messages deleted "for me": a refusal hides nothing from anyone either.
    prisma.hiddenMessage.findMany({ where: { conversationId }, orderBy: [{ userId: 'asc' }, { hiddenSeq: 'asc' }] }),
  ]);
  return { conversation, members, messages, hidden };
}

/** Everything a refused operation by `users` must leave as it was: their rows and the rows that point at them. */
export async function usersState(server: TestServer, users: TestUser[]) {
  const { prisma } = server.db;
  const ids = users.map((u) => u.id);
  const [profiles, contacts, blocks, memberships, conversations, messages] = await Promise.all([
    prisma.user.findMany({
      where: { id: { in: ids } },
      orderBy: { id: 'asc' },
      select: { id: true, displayName: true, bio: true, locale: true, whoCanFind: true, whoCanMessage: true, whoSeesLastSeen: true },
    }),
    prisma.contact.count({ where: { OR: [{ ownerId: { in: ids } }, { contactId: { in: ids } }] } }),
    prisma.block.count({ where: { OR: [{ blockerId: { in: ids } }, { blockedId: { in: ids } }] } }),
    prisma.membership.count({ where: { userId: { in: ids } } }),
    prisma.conversation.count({ where: { createdById: { in: ids } } }),
    prisma.message.count({ where: { senderId: { in: ids } } }),
  ]);
  return { profiles, contacts, blocks, memberships, conversations, messages };
}
