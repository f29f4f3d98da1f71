/** Recovery and the mailed links: a forgotten password, confirming an address, changing it. */
import { gql, type TypedDocumentNode } from '@apollo/client/core';
import type * as Types from './generated';
import { ME_FIELDS } from './me';

/** Always true, whether or not an account has this name: the answer tells nothing. */
export const RequestPasswordResetMutation: TypedDocumentNode<Types.RequestPasswordResetMutation, Types.RequestPasswordResetMutationVariables> = gql`
  mutation RequestPasswordReset($login: String!) {
    requestPasswordReset(login: $login)
  }
`;

export const ResetPasswordMutation: TypedDocumentNode<Types.ResetPasswordMutation, Types.ResetPasswordMutationVariables> = gql`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      token
      me { ...MeFields }
    }
  }
  ${ME_FIELDS}
`;

export const VerifyEmailMutation: TypedDocumentNode<Types.VerifyEmailMutation, Types.VerifyEmailMutationVariables> = gql`
  mutation VerifyEmail($token: String!) {
    verifyEmail(token: $token)
  }
`;

export const ConfirmEmailChangeMutation: TypedDocumentNode<Types.ConfirmEmailChangeMutation, Types.ConfirmEmailChangeMutationVariables> = gql`
  mutation ConfirmEmailChange($token: String!) {
    confirmEmailChange(token: $token)
  }
`;

export const ResendVerificationEmailMutation: TypedDocumentNode<Types.ResendVerificationEmailMutation, Types.ResendVerificationEmailMutationVariables> = gql`
  mutation ResendVerificationEmail {
    resendVerificationEmail
  }
`;
