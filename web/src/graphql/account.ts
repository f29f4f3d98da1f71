/** The account's operations — registration, profile and privacy, sessions, blocked users — typed by hand after schema.graphql. */
import { gql, type TypedDocumentNode } from '@apollo/client/core';
import { ME_FIELDS } from './me';
import type { Me } from './user';
import { USER_FIELDS, type UserSummary } from './messenger';

export type MessagePrivacy = 'EVERYONE' | 'CONTACTS';
export type DiscoverPrivacy = 'EVERYONE' | 'CONTACTS_OF_CONTACTS' | 'NOBODY';
export type LastSeenPrivacy = 'EVERYONE' | 'CONTACTS' | 'NOBODY';

/** The signed-in user with the profile and privacy settings the settings page edits. */
export interface Profile extends Me {
  __typename?: 'Me';
  bio: string | null;
  locale: string;
  whoCanMessage: MessagePrivacy;
  whoCanFind: DiscoverPrivacy;
  whoSeesLastSeen: LastSeenPrivacy;
}

export interface RegisterInput {
  username: string;
  email: string;
  password: string;
  displayName?: string;
}

/** Fields left out stay as they are. */
export interface UpdateProfileInput {
  displayName?: string;
  bio?: string;
  locale?: string;
  whoCanMessage?: MessagePrivacy;
  whoCanFind?: DiscoverPrivacy;
  whoSeesLastSeen?: LastSeenPrivacy;
}

export interface SessionData {
  __typename?: 'Session';
  id: string;
  current: boolean;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastUsedAt: string;
}

const PROFILE_FIELDS = gql`
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

export const RegisterMutation: TypedDocumentNode<{ register: { token: string; me: Profile } }, { input: RegisterInput }> = gql`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      token
      me { ...ProfileFields }
    }
  }
  ${PROFILE_FIELDS}
`;

export const ProfileQuery: TypedDocumentNode<{ me: Profile }, Record<string, never>> = gql`
  query Profile {
    me { ...ProfileFields }
  }
  ${PROFILE_FIELDS}
`;

export const UpdateProfileMutation: TypedDocumentNode<{ updateProfile: Profile }, { input: UpdateProfileInput }> = gql`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) { ...ProfileFields }
  }
  ${PROFILE_FIELDS}
`;

export const SessionsQuery: TypedDocumentNode<{ sessions: SessionData[] }, Record<string, never>> = gql`
  query Sessions {
    sessions { id current userAgent ip createdAt lastUsedAt }
  }
`;

export const RevokeSessionMutation: TypedDocumentNode<{ revokeSession: boolean }, { id: string }> = gql`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`;

export const BlockedUsersQuery: TypedDocumentNode<{ blockedUsers: UserSummary[] }, Record<string, never>> = gql`
  query BlockedUsers {
    blockedUsers { ...UserFields }
  }
  ${USER_FIELDS}
`;
