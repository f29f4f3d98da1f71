/** Avatars: the viewer's own (read through `user`, since `Me` carries none) and a group's. */
import { gql, type TypedDocumentNode } from '@apollo/client/core';
import type * as Types from './generated';
import { CONVERSATION_FIELDS, USER_FIELDS } from './messenger';

/** A message's photo or file, as `MessageFields` selects it. */
export type AttachmentData = Types.MessageFieldsFragment['attachments'][number];
/** A sticker message's sticker. */
export type MessageStickerData = NonNullable<Types.MessageFieldsFragment['sticker']>;

/** The viewer as others see them (with their avatar), by their user name. */
export const MyCardQuery: TypedDocumentNode<Types.MyCardQuery, Types.MyCardQueryVariables> = gql`
  query MyCard($username: String!) { user(username: $username) { ...UserFields } }
  ${USER_FIELDS}
`;

export const SetAvatarMutation: TypedDocumentNode<Types.SetAvatarMutation, Types.SetAvatarMutationVariables> = gql`
  mutation SetAvatar($mediaId: ID!) { setAvatar(mediaId: $mediaId) { ...UserFields } }
  ${USER_FIELDS}
`;

export const RemoveAvatarMutation: TypedDocumentNode<Types.RemoveAvatarMutation, Types.RemoveAvatarMutationVariables> = gql`
  mutation RemoveAvatar { removeAvatar { ...UserFields } }
  ${USER_FIELDS}
`;

export const SetGroupAvatarMutation: TypedDocumentNode<Types.SetGroupAvatarMutation, Types.SetGroupAvatarMutationVariables> = gql`
  mutation SetGroupAvatar($conversationId: ID!, $mediaId: ID!) { setGroupAvatar(conversationId: $conversationId, mediaId: $mediaId) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

export const RemoveGroupAvatarMutation: TypedDocumentNode<Types.RemoveGroupAvatarMutation, Types.RemoveGroupAvatarMutationVariables> = gql`
  mutation RemoveGroupAvatar($conversationId: ID!) { removeGroupAvatar(conversationId: $conversationId) { ...ConversationFields } }
  ${CONVERSATION_FIELDS}
`;

/** People read again for fresh avatar links (media/avatarRenewal.ts); the answer updates the cached users. */
export const UserAvatarsQuery: TypedDocumentNode<Types.UserAvatarsQuery, Types.UserAvatarsQueryVariables> = gql`
  query UserAvatars($ids: [ID!]!) { users(ids: $ids) { id avatar { id small large placeholder } } }
`;

/** A group read again for fresh avatar links. */
export const GroupAvatarQuery: TypedDocumentNode<Types.GroupAvatarQuery, Types.GroupAvatarQueryVariables> = gql`
  query GroupAvatar($id: ID!) { conversation(id: $id) { id avatar { id small large placeholder } } }
`;

/** A user's avatar as the cache holds it (members and people lists put it there). */
export const USER_AVATAR: TypedDocumentNode<Types.UserAvatarFragment> = gql`
  fragment UserAvatar on User { id avatar { id small large placeholder } }
`;
