/** The account's operations — registration, profile and privacy, sessions, blocked users. */
import { gql, type TypedDocumentNode } from '@apollo/client/core';
import type * as Types from './generated';
import { ME_FIELDS } from './me';
import { USER_FIELDS } from './messenger';

export type { RegisterInput, UpdateProfileInput } from './generated';

/** The signed-in user with the profile and privacy settings the settings page edits. */
export type Profile = Types.ProfileFieldsFragment;

/** One signed-in device, as Settings → Sessions lists it. */
export type SessionData = Types.SessionsQuery['sessions'][number];

const PROFILE_FIELDS: TypedDocumentNode<Types.ProfileFieldsFragment> = gql`
  fragment ProfileFields on Me {
    ...MeFields
    bio
    locale
    whoCanMessage
    whoCanFind
    whoSeesLastSeen
  }
  ${ME_FIELDS}
`;

export const RegisterMutation: TypedDocumentNode<Types.RegisterMutation, Types.RegisterMutationVariables> = gql`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      token
      me { ...ProfileFields }
    }
  }
  ${PROFILE_FIELDS}
`;

export const ProfileQuery: TypedDocumentNode<Types.ProfileQuery, Types.ProfileQueryVariables> = gql`
  query Profile {
    me { ...ProfileFields }
  }
  ${PROFILE_FIELDS}
`;

export const UpdateProfileMutation: TypedDocumentNode<Types.UpdateProfileMutation, Types.UpdateProfileMutationVariables> = gql`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) { ...ProfileFields }
  }
  ${PROFILE_FIELDS}
`;

export const SessionsQuery: TypedDocumentNode<Types.SessionsQuery, Types.SessionsQueryVariables> = gql`
  query Sessions {
    sessions { id current userAgent ip createdAt lastUsedAt }
  }
`;

export const RevokeSessionMutation: TypedDocumentNode<Types.RevokeSessionMutation, Types.RevokeSessionMutationVariables> = gql`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`;

export const BlockedUsersQuery: TypedDocumentNode<Types.BlockedUsersQuery, Types.BlockedUsersQueryVariables> = gql`
  query BlockedUsers {
    blockedUsers { ...UserFields }
  }
  ${USER_FIELDS}
`;
