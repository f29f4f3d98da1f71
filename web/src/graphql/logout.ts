import { gql, type TypedDocumentNode } from '@apollo/client/core';
import type * as Types from './generated';

export const LogoutMutation: TypedDocumentNode<Types.LogoutMutation, Types.LogoutMutationVariables> = gql`
  mutation Logout {
    logout
  }
`;
