import { gql, type TypedDocumentNode } from '@apollo/client/core';
import type { Me } from './user';

/**
 * Every field of `Me` the client keeps, selected the same way by `me`, `login`, `register` and the
 * other payloads that carry the signed-in user, so the cached object is always complete.
 */
export const ME_FIELDS = gql`
  fragment MeFields on Me {
    id
    username
    displayName
    email
    emailVerified
    pendingEmail
    twoFactorEnabled
    recoveryCodesLeft
  }
`;

export interface MeQueryData {
  me: Me;
}

export const MeQuery: TypedDocumentNode<MeQueryData, Record<string, never>> = gql`
  query Me {
    me { ...MeFields }
  }
  ${ME_FIELDS}
`;
