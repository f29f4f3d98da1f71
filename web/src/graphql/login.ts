import { gql, type TypedDocumentNode } from '@apollo/client/core';
import type { Me } from './user';

export interface LoginInput {
  /** User name or email. */
  login: string;
  password: string;
}

export interface LoginMutationData {
  login: { token: string; me: Me };
}

export const LoginMutation: TypedDocumentNode<LoginMutationData, { input: LoginInput }> = gql`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      me {
        id
        username
        displayName
        email
      }
    }
  }
`;
