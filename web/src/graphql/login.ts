import { gql, type TypedDocumentNode } from '@apollo/client/core';
import { ME_FIELDS } from './me';
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
      me { ...MeFields }
    }
  }
  ${ME_FIELDS}
`;

export interface CompleteLoginInput {
  /** The `challenge` of the TWO_FACTOR_REQUIRED answer. */
  challenge: string;
  /** The current 6-digit code from the authenticator app, or an unused recovery code. */
  code: string;
}

export interface CompleteLoginMutationData {
  completeLogin: { token: string; me: Me };
}

export const CompleteLoginMutation: TypedDocumentNode<CompleteLoginMutationData, { input: CompleteLoginInput }> = gql`
  mutation CompleteLogin($input: CompleteLoginInput!) {
    completeLogin(input: $input) {
      token
      me { ...MeFields }
    }
  }
  ${ME_FIELDS}
`;
