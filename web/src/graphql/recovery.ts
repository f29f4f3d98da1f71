/** Recovery and the mailed links: a forgotten password, confirming an address, changing it. Typed by hand after schema.graphql. */
import { gql, type TypedDocumentNode } from '@apollo/client/core';
import { ME_FIELDS } from './me';
import type { Me } from './user';

/** Always true, whether or not an account has this name: the answer tells nothing. */
export const RequestPasswordResetMutation: TypedDocumentNode<{ requestPasswordReset: boolean }, { login: string }> = gql`
  mutation RequestPasswordReset($login: String!) {
    requestPasswordReset(login: $login)
  }
`;

export interface ResetPasswordInput {
  /** From the mailed link's fragment. */
  token: string;
  newPassword: string;
}

export const ResetPasswordMutation: TypedDocumentNode<{ resetPassword: { token: string; me: Me } }, { input: ResetPasswordInput }> = gql`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      token
      me { ...MeFields }
    }
  }
  ${ME_FIELDS}
`;

export const VerifyEmailMutation: TypedDocumentNode<{ verifyEmail: boolean }, { token: string }> = gql`
  mutation VerifyEmail($token: String!) {
    verifyEmail(token: $token)
  }
`;

export const ConfirmEmailChangeMutation: TypedDocumentNode<{ confirmEmailChange: boolean }, { token: string }> = gql`
  mutation ConfirmEmailChange($token: String!) {
    confirmEmailChange(token: $token)
  }
`;

export const ResendVerificationEmailMutation: TypedDocumentNode<{ resendVerificationEmail: boolean }, Record<string, never>> = gql`
  mutation ResendVerificationEmail {
    resendVerificationEmail
  }
`;
