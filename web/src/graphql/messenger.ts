/** The messenger's operations, and the shapes of their selections that the views and the sync engine pass around. */
import { gql, type TypedDocumentNode } from '@apollo/client/core';
import { EVENTS_TEXT, MESSAGE_FIELDS_TEXT } from './events.documents';
import type * as Types from './generated';

export type { MemberRole } from './generated';

/** A user as lists and member panels show one: the `UserFields` selection. */
export type UserSummary = Types.UserFieldsFragment;
/** A message wherever it shows (history, preview, reply, search): the `MessageFields` selection. */
export type MessageData = Types.MessageFieldsFragment;
/** A conversation as the list and the open view hold it: the `ConversationFields` selection. */
export type ConversationData = Types.ConversationFieldsFragment;
export type MemberData = ConversationData['members'][number];
/** One conversation's changes after a seq: what `changes` answers, and each entry of `sync`. */
export type ChangesData = Types.ChangesQuery['changes'];
export type SyncData = Types.SyncQuery['sync'];
/** One event of the `events` subscription. */
export type EventData = Types.EventsSubscription['events'];
/** A person as a ProfileChangedEvent tells them: what others show of them. */
export type ProfileData = Types.PublicProfileFragment;

/**
 * A person's or a group's picture: signed URLs of its two sizes (null: show the initials).
 * Selected in place, not as a fragment: one more level of nesting takes `sync` past the API's depth limit.
 */
export type AvatarData = NonNullable<Types.UserFieldsFragment['avatar']>;

export const USER_FIELDS: TypedDocumentNode<Types.UserFieldsFragment> = gql`
  fragment UserFields on User {
    id
    username
    displayName
    online
    lastSeenAt
    isContact
    isBlocked
    avatar { id small large placeholder }
  }
`;

/** What a ProfileChangedEvent tells of a person, written over the cached user (sync/apolloStore.ts). */
export const PUBLIC_PROFILE: TypedDocumentNode<Types.PublicProfileFragment> = gql`
  fragment PublicProfile on User { id username displayName avatar { id small large placeholder } }
`;

export const MESSAGE_FIELDS: TypedDocumentNode<Types.MessageFieldsFragment> = gql(MESSAGE_FIELDS_TEXT);

export const CONVERSATION_FIELDS: TypedDocumentNode<Types.ConversationFieldsFragment> = gql`
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
    hiddenSeq
    removedAtSeq
    lastActivityAt
    lastMessage { ...MessageFields }
    otherUser { ...UserFields }
    members { role lastReadSeq user { ...UserFields } }
    avatar { id small large placeholder }
  }
  ${MESSAGE_FIELDS}
  ${USER_FIELDS}
`;

export const ConversationsQuery: TypedDocumentNode<Types.ConversationsQuery, Types.ConversationsQueryVariables> = gql`
  query Conversations($after: String) {
    conversations(first: 100, after: $after) {
      nodes { ...ConversationFields }
      pageInfo { endCursor hasNextPage }
    }
  }
  ${CONVERSATION_FIELDS}
`;

export const ConversationQuery: TypedDocumentNode<Types.ConversationQuery, Types.ConversationQueryVariables> = gql`
  query Conversation($id: ID!) { conversation(id: $id) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const MessagesQuery: TypedDocumentNode<Types.MessagesQuery, Types.MessagesQueryVariables> = gql`
  query Messages($conversationId: ID!, $before: Int, $limit: Int = 50) {
    messages(conversationId: $conversationId, before: $before, limit: $limit) { messages { ...MessageFields } hasMore }
  }
  ${MESSAGE_FIELDS}
`;

export const ChangesQuery: TypedDocumentNode<Types.ChangesQuery, Types.ChangesQueryVariables> = gql`
  query Changes($conversationId: ID!, $afterSeq: Int!, $hiddenAfter: Int) {
    changes(conversationId: $conversationId, afterSeq: $afterSeq, hiddenAfter: $hiddenAfter) {
      conversation { ...ConversationFields }
      messages { ...MessageFields }
      toSeq
      hiddenMessageIds
      hiddenSeq
      hasMore
    }
  }
  ${CONVERSATION_FIELDS}
`;

export const SyncQuery: TypedDocumentNode<Types.SyncQuery, Types.SyncQueryVariables> = gql`
  query Sync($cursors: [SyncCursorInput!]!) {
    sync(cursors: $cursors) {
      changes { conversation { ...ConversationFields } messages { ...MessageFields } toSeq hiddenMessageIds hiddenSeq hasMore }
      removedConversationIds
      hasMore
    }
  }
  ${CONVERSATION_FIELDS}
`;

export const EventsSubscription: TypedDocumentNode<Types.EventsSubscription, Types.EventsSubscriptionVariables> = gql(EVENTS_TEXT + MESSAGE_FIELDS_TEXT);

export const SendMessageMutation: TypedDocumentNode<Types.SendMessageMutation, Types.SendMessageMutationVariables> = gql`
  mutation SendMessage($input: SendMessageInput!) { sendMessage(input: $input) { ...MessageFields } }
  ${MESSAGE_FIELDS}
`;

export const EditMessageMutation: TypedDocumentNode<Types.EditMessageMutation, Types.EditMessageMutationVariables> = gql`
  mutation EditMessage($messageId: ID!, $body: String!) { editMessage(messageId: $messageId, body: $body) { ...MessageFields } }
  ${MESSAGE_FIELDS}
`;

export const DeleteMessageMutation: TypedDocumentNode<Types.DeleteMessageMutation, Types.DeleteMessageMutationVariables> = gql`
  mutation DeleteMessage($messageId: ID!) { deleteMessage(messageId: $messageId) { ...MessageFields } }
  ${MESSAGE_FIELDS}
`;

export const DeleteMessageForMeMutation: TypedDocumentNode<Types.DeleteMessageForMeMutation, Types.DeleteMessageForMeMutationVariables> = gql`
  mutation DeleteMessageForMe($messageId: ID!) { deleteMessageForMe(messageId: $messageId) }
`;

export const MarkReadMutation: TypedDocumentNode<Types.MarkReadMutation, Types.MarkReadMutationVariables> = gql`
  mutation MarkRead($conversationId: ID!, $seq: Int!) { markRead(conversationId: $conversationId, seq: $seq) { id unreadCount lastReadSeq } }
`;

export const SetTypingMutation: TypedDocumentNode<Types.SetTypingMutation, Types.SetTypingMutationVariables> = gql`
  mutation SetTyping($conversationId: ID!) { setTyping(conversationId: $conversationId) }
`;

export const SetMutedMutation: TypedDocumentNode<Types.SetMutedMutation, Types.SetMutedMutationVariables> = gql`
  mutation SetMuted($conversationId: ID!, $muted: Boolean!) { setMuted(conversationId: $conversationId, muted: $muted) { id muted } }
`;

export const CreateDirectMutation: TypedDocumentNode<Types.CreateDirectMutation, Types.CreateDirectMutationVariables> = gql`
  mutation CreateDirect($userId: ID!) { createDirectConversation(userId: $userId) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const CreateGroupMutation: TypedDocumentNode<Types.CreateGroupMutation, Types.CreateGroupMutationVariables> = gql`
  mutation CreateGroup($input: CreateGroupInput!) { createGroup(input: $input) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const RenameGroupMutation: TypedDocumentNode<Types.RenameGroupMutation, Types.RenameGroupMutationVariables> = gql`
  mutation RenameGroup($conversationId: ID!, $title: String!) { renameGroup(conversationId: $conversationId, title: $title) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const AddMembersMutation: TypedDocumentNode<Types.AddMembersMutation, Types.AddMembersMutationVariables> = gql`
  mutation AddMembers($conversationId: ID!, $userIds: [ID!]!) { addMembers(conversationId: $conversationId, userIds: $userIds) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const RemoveMemberMutation: TypedDocumentNode<Types.RemoveMemberMutation, Types.RemoveMemberMutationVariables> = gql`
  mutation RemoveMember($conversationId: ID!, $userId: ID!) { removeMember(conversationId: $conversationId, userId: $userId) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const SetMemberRoleMutation: TypedDocumentNode<Types.SetMemberRoleMutation, Types.SetMemberRoleMutationVariables> = gql`
  mutation SetMemberRole($conversationId: ID!, $userId: ID!, $role: MemberRole!) { setMemberRole(conversationId: $conversationId, userId: $userId, role: $role) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const LeaveMutation: TypedDocumentNode<Types.LeaveMutation, Types.LeaveMutationVariables> = gql`
  mutation Leave($conversationId: ID!) { leaveConversation(conversationId: $conversationId) }
`;

export const DeleteConversationMutation: TypedDocumentNode<Types.DeleteConversationMutation, Types.DeleteConversationMutationVariables> = gql`
  mutation DeleteConversation($conversationId: ID!, $forEveryone: Boolean!) { deleteConversation(conversationId: $conversationId, forEveryone: $forEveryone) }
`;

export const SearchUsersQuery: TypedDocumentNode<Types.SearchUsersQuery, Types.SearchUsersQueryVariables> = gql`
  query SearchUsers($query: String!) { searchUsers(query: $query, first: 20) { ...UserFields } }
  ${USER_FIELDS}
`;

export const ContactsQuery: TypedDocumentNode<Types.ContactsQuery, Types.ContactsQueryVariables> = gql`
  query Contacts { contacts { ...UserFields } }
  ${USER_FIELDS}
`;

export const AddContactMutation: TypedDocumentNode<Types.AddContactMutation, Types.AddContactMutationVariables> = gql`
  mutation AddContact($userId: ID!) { addContact(input: { userId: $userId }) { ...UserFields } }
  ${USER_FIELDS}
`;

export const BlockUserMutation: TypedDocumentNode<Types.BlockUserMutation, Types.BlockUserMutationVariables> = gql`
  mutation BlockUser($userId: ID!) { blockUser(userId: $userId) { ...UserFields } }
  ${USER_FIELDS}
`;

export const UnblockUserMutation: TypedDocumentNode<Types.UnblockUserMutation, Types.UnblockUserMutationVariables> = gql`
  mutation UnblockUser($userId: ID!) { unblockUser(userId: $userId) }
`;

export const SearchMessagesQuery: TypedDocumentNode<Types.SearchMessagesQuery, Types.SearchMessagesQueryVariables> = gql`
  query SearchMessages($query: String!, $conversationId: ID, $after: String) {
    searchMessages(query: $query, conversationId: $conversationId, first: 30, after: $after) {
      nodes { ...MessageFields sender { id avatar { id small large placeholder } } }
      pageInfo { endCursor hasNextPage }
    }
  }
  ${MESSAGE_FIELDS}
`;
