import { gql, type TypedDocumentNode } from '@apollo/client/core';
import type { Me } from './user';

export interface MeQueryData {
  me: Me;
}

export const MeQuery: TypedDocumentNode<MeQueryData, Record<string, never>> = gql`
  query Me {
    me {
      id
      username
      displayName
      email
    }
  }
`;
