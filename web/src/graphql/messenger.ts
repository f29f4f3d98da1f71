/** The messenger's operations and the shapes they return (typed by hand, mirroring schema.graphql). */
import { gql, type TypedDocumentNode } from '@apollo/client/core';
import { EVENTS_TEXT, MESSAGE_FIELDS_TEXT } from './events.documents';

export type ConversationKind = 'DIRECT' | 'GROUP';
export type MemberRole = 'OWNER' | 'ADMIN' | 'MEMBER';
export type SystemEventType = 'GROUP_CREATED' | 'MEMBERS_ADDED' | 'MEMBER_REMOVED' | 'MEMBER_LEFT' | 'ROLE_CHANGED' | 'TITLE_CHANGED';

export interface UserSummary {
  __typename?: 'User';
  id: string;
  username: string;
  displayName: string;
  online: boolean | null;
  lastSeenAt: string | null;
  isContact: boolean;
  isBlocked: boolean;
}

export interface MessageData {
  __typename?: 'Message';
  id: string;
  conversationId: string;
  seq: number;
  updatedSeq: number;
  kind: 'TEXT' | 'IMAGE' | 'STICKER' | 'FILE' | 'SYSTEM';
  body: string;
  edited: boolean;
  deleted: boolean;
  clientMsgId: string | null;
  createdAt: string;
  sender: { __typename?: 'User'; id: string; displayName: string; username: string } | null;
  replyTo: { __typename?: 'Message'; id: string; seq: number; body: string; deleted: boolean; sender: { __typename?: 'User'; id: string; displayName: string } | null } | null;
  event: {
    __typename?: 'SystemEvent';
    type: SystemEventType;
    title: string | null;
    role: MemberRole | null;
    actor: { __typename?: 'User'; id: string; displayName: string } | null;
    users: { __typename?: 'User'; id: string; displayName: string }[];
  } | null;
}

export interface MemberData {
  __typename?: 'Member';
  role: MemberRole;
  lastReadSeq: number;
  user: UserSummary;
}

export interface ConversationData {
  __typename?: 'Conversation';
  id: string;
  kind: ConversationKind;
  title: string;
  seq: number;
  unreadCount: number;
  muted: boolean;
  myRole: MemberRole;
  lastReadSeq: number;
  visibleFromSeq: number;
  lastActivityAt: string;
  lastMessage: MessageData | null;
  otherUser: UserSummary | null;
  members: MemberData[];
}

export const USER_FIELDS = gql`
  fragment UserFields on User {
    id
    username
    displayName
    online
    lastSeenAt
    isContact
    isBlocked
  }
`;

export const MESSAGE_FIELDS = gql(MESSAGE_FIELDS_TEXT);

export const CONVERSATION_FIELDS = gql`
  fragment ConversationFields on Conversation {
    id
    kind
    title
    seq
    unreadCount
    muted
    myRole
    lastReadSeq
    visibleFromSeq
    lastActivityAt
    lastMessage { ...MessageFields }
    otherUser { ...UserFields }
    members { role lastReadSeq user { ...UserFields } }
  }
  ${MESSAGE_FIELDS}
  ${USER_FIELDS}
`;

export const ConversationsQuery: TypedDocumentNode<{ conversations: { nodes: ConversationData[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } }, { after?: string | null }> = gql`
  query Conversations($after: String) {
    conversations(first: 100, after: $after) {
      nodes { ...ConversationFields }
      pageInfo { endCursor hasNextPage }
    }
  }
  ${CONVERSATION_FIELDS}
`;

export const ConversationQuery: TypedDocumentNode<{ conversation: ConversationData }, { id: string }> = gql`
  query Conversation($id: ID!) { conversation(id: $id) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export interface MessagePageData {
  messages: MessageData[];
  hasMore: boolean;
}

export const MessagesQuery: TypedDocumentNode<{ messages: MessagePageData }, { conversationId: string; before?: number | null; limit?: number }> = gql`
  query Messages($conversationId: ID!, $before: Int, $limit: Int = 50) {
    messages(conversationId: $conversationId, before: $before, limit: $limit) { messages { ...MessageFields } hasMore }
  }
  ${MESSAGE_FIELDS}
`;

export interface ChangesData {
  conversation: ConversationData;
  messages: MessageData[];
  toSeq: number;
  hasMore: boolean;
}

export const ChangesQuery: TypedDocumentNode<{ changes: ChangesData }, { conversationId: string; afterSeq: number }> = gql`
  query Changes($conversationId: ID!, $afterSeq: Int!) {
    changes(conversationId: $conversationId, afterSeq: $afterSeq) {
      conversation { ...ConversationFields }
      messages { ...MessageFields }
      toSeq
      hasMore
    }
  }
  ${CONVERSATION_FIELDS}
`;

export const SyncQuery: TypedDocumentNode<
  { sync: { changes: ChangesData[]; removedConversationIds: string[]; hasMore: boolean } },
  { cursors: { conversationId: string; seq: number }[] }
> = gql`
  query Sync($cursors: [SyncCursorInput!]!) {
    sync(cursors: $cursors) {
      changes { conversation { ...ConversationFields } messages { ...MessageFields } toSeq hasMore }
      removedConversationIds
      hasMore
    }
  }
  ${CONVERSATION_FIELDS}
`;

export type EventData =
  | { __typename: 'MessageAddedEvent' | 'MessageEditedEvent' | 'MessageDeletedEvent' | 'ConversationUpdatedEvent'; conversationId: string; seq: number; message: MessageData }
  | { __typename: 'MemberJoinedEvent'; conversationId: string; seq: number; message: MessageData; userIds: string[] }
  | { __typename: 'MemberLeftEvent'; conversationId: string; seq: number; message: MessageData; userId: string }
  | { __typename: 'MemberRoleChangedEvent'; conversationId: string; seq: number; message: MessageData; userId: string; role: MemberRole }
  | { __typename: 'ReadReceiptEvent'; conversationId: string; userId: string; lastReadSeq: number }
  | { __typename: 'TypingEvent'; conversationId: string; userId: string; user: { id: string; displayName: string } }
  | { __typename: 'PresenceEvent'; userId: string; online: boolean; lastSeenAt: string | null }
  | { __typename: 'ConversationRemovedEvent'; conversationId: string }
  | { __typename: 'SyncRequiredEvent'; reason: string };

export const EventsSubscription: TypedDocumentNode<{ events: EventData }, Record<string, never>> = gql(EVENTS_TEXT + MESSAGE_FIELDS_TEXT);

export const SendMessageMutation: TypedDocumentNode<{ sendMessage: MessageData }, { input: { conversationId: string; clientMsgId: string; body: string; replyToId?: string | null } }> = gql`
  mutation SendMessage($input: SendMessageInput!) { sendMessage(input: $input) { ...MessageFields } }
  ${MESSAGE_FIELDS}
`;

export const EditMessageMutation: TypedDocumentNode<{ editMessage: MessageData }, { messageId: string; body: string }> = gql`
  mutation EditMessage($messageId: ID!, $body: String!) { editMessage(messageId: $messageId, body: $body) { ...MessageFields } }
  ${MESSAGE_FIELDS}
`;

export const DeleteMessageMutation: TypedDocumentNode<{ deleteMessage: MessageData }, { messageId: string }> = gql`
  mutation DeleteMessage($messageId: ID!) { deleteMessage(messageId: $messageId) { ...MessageFields } }
  ${MESSAGE_FIELDS}
`;

export const MarkReadMutation: TypedDocumentNode<{ markRead: { id: string; unreadCount: number; lastReadSeq: number } }, { conversationId: string; seq: number }> = gql`
  mutation MarkRead($conversationId: ID!, $seq: Int!) { markRead(conversationId: $conversationId, seq: $seq) { id unreadCount lastReadSeq } }
`;

export const SetTypingMutation: TypedDocumentNode<{ setTyping: boolean }, { conversationId: string }> = gql`
  mutation SetTyping($conversationId: ID!) { setTyping(conversationId: $conversationId) }
`;

export const SetMutedMutation: TypedDocumentNode<{ setMuted: { id: string; muted: boolean } }, { conversationId: string; muted: boolean }> = gql`
  mutation SetMuted($conversationId: ID!, $muted: Boolean!) { setMuted(conversationId: $conversationId, muted: $muted) { id muted } }
`;

export const CreateDirectMutation: TypedDocumentNode<{ createDirectConversation: ConversationData }, { userId: string }> = gql`
  mutation CreateDirect($userId: ID!) { createDirectConversation(userId: $userId) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const CreateGroupMutation: TypedDocumentNode<{ createGroup: ConversationData }, { input: { title: string; memberIds: string[] } }> = gql`
  mutation CreateGroup($input: CreateGroupInput!) { createGroup(input: $input) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const RenameGroupMutation: TypedDocumentNode<{ renameGroup: ConversationData }, { conversationId: string; title: string }> = gql`
  mutation RenameGroup($conversationId: ID!, $title: String!) { renameGroup(conversationId: $conversationId, title: $title) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const AddMembersMutation: TypedDocumentNode<{ addMembers: ConversationData }, { conversationId: string; userIds: string[] }> = gql`
  mutation AddMembers($conversationId: ID!, $userIds: [ID!]!) { addMembers(conversationId: $conversationId, userIds: $userIds) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const RemoveMemberMutation: TypedDocumentNode<{ removeMember: ConversationData }, { conversationId: string; userId: string }> = gql`
  mutation RemoveMember($conversationId: ID!, $userId: ID!) { removeMember(conversationId: $conversationId, userId: $userId) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const SetMemberRoleMutation: TypedDocumentNode<{ setMemberRole: ConversationData }, { conversationId: string; userId: string; role: MemberRole }> = gql`
  mutation SetMemberRole($conversationId: ID!, $userId: ID!, $role: MemberRole!) { setMemberRole(conversationId: $conversationId, userId: $userId, role: $role) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const LeaveMutation: TypedDocumentNode<{ leaveConversation: boolean }, { conversationId: string }> = gql`
  mutation Leave($conversationId: ID!) { leaveConversation(conversationId: $conversationId) }
`;

export const DeleteConversationMutation: TypedDocumentNode<{ deleteConversation: boolean }, { conversationId: string; forEveryone: boolean }> = gql`
  mutation DeleteConversation($conversationId: ID!, $forEveryone: Boolean!) { deleteConversation(conversationId: $conversationId, forEveryone: $forEveryone) }
`;

export const SearchUsersQuery: TypedDocumentNode<{ searchUsers: UserSummary[] }, { query: string }> = gql`
  query SearchUsers($query: String!) { searchUsers(query: $query, first: 20) { ...UserFields } }
  ${USER_FIELDS}
`;

export const ContactsQuery: TypedDocumentNode<{ contacts: UserSummary[] }, Record<string, never>> = gql`
  query Contacts { contacts { ...UserFields } }
  ${USER_FIELDS}
`;

export const AddContactMutation: TypedDocumentNode<{ addContact: UserSummary }, { userId: string }> = gql`
  mutation AddContact($userId: ID!) { addContact(input: { userId: $userId }) { ...UserFields } }
  ${USER_FIELDS}
`;

export const BlockUserMutation: TypedDocumentNode<{ blockUser: UserSummary }, { userId: string }> = gql`
  mutation BlockUser($userId: ID!) { blockUser(userId: $userId) { ...UserFields } }
  ${USER_FIELDS}
`;

export const UnblockUserMutation: TypedDocumentNode<{ unblockUser: boolean }, { userId: string }> = gql`
  mutation UnblockUser($userId: ID!) { unblockUser(userId: $userId) }
`;

export const SearchMessagesQuery: TypedDocumentNode<
  { searchMessages: { nodes: MessageData[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } },
  { query: string; conversationId?: string | null; after?: string | null }
> = gql`
  query SearchMessages($query: String!, $conversationId: ID, $after: String) {
    searchMessages(query: $query, conversationId: $conversationId, first: 30, after: $after) {
      nodes { ...MessageFields }
      pageInfo { endCursor hasNextPage }
    }
  }
  ${MESSAGE_FIELDS}
`;
