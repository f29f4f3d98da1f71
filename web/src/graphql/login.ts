import { gql, type TypedDocumentNode } from '@apollo/client/core';
import type * as Types from './generated';
import { ME_FIELDS } from './me';

export type { LoginInput } from './generated';

export const LoginMutation: TypedDocumentNode<Types.LoginMutation, Types.LoginMutationVariables> = gql`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      me { ...MeFields }
    }
  }
  ${ME_FIELDS}
`;

export const CompleteLoginMutation: TypedDocumentNode<Types.CompleteLoginMutation, Types.CompleteLoginMutationVariables> = gql`
  mutation CompleteLogin($input: CompleteLoginInput!) {
    completeLogin(input: $input) {
      token
      me { ...MeFields }
    }
  }
  ${ME_FIELDS}
`;
