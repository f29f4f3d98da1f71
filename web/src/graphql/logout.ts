import { gql, type TypedDocumentNode } from '@apollo/client/core';

export interface LogoutMutationData {
  logout: boolean;
}

export const LogoutMutation: TypedDocumentNode<LogoutMutationData, Record<string, never>> = gql`
  mutation Logout {
    logout
  }
`;
