import { gql, type TypedDocumentNode } from '@apollo/client/core';
import type * as Types from './generated';

/**
 * Every field of `Me` the client keeps, selected the same way by `me`, `login`, `register` and the
 * other payloads that carry the signed-in user, so the cached object is always complete.
 */
export const ME_FIELDS: TypedDocumentNode<Types.MeFieldsFragment> = gql`
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

export const MeQuery: TypedDocumentNode<Types.MeQuery, Types.MeQueryVariables> = gql`
  query Me {
    me { ...MeFields }
  }
  ${ME_FIELDS}
`;
