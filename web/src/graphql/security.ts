/**
 * The signed-in account's sign-in settings — password, email, user name, two-factor sign-in,
 * other sessions, deletion. What answers with `Me` selects `MeFields`, so the cached user
 * follows without further work.
 */
import { gql, type TypedDocumentNode } from '@apollo/client/core';
import type * as Types from './generated';
import { ME_FIELDS } from './me';

/** A new secret for the authenticator app: base32 to type in, and an `otpauth://` URI for the QR code. */
export type TwoFactorSetup = Types.BeginTwoFactorSetupMutation['beginTwoFactorSetup'];

export const ChangePasswordMutation: TypedDocumentNode<Types.ChangePasswordMutation, Types.ChangePasswordMutationVariables> = gql`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input)
  }
`;

export const RequestEmailChangeMutation: TypedDocumentNode<Types.RequestEmailChangeMutation, Types.RequestEmailChangeMutationVariables> = gql`
  mutation RequestEmailChange($input: RequestEmailChangeInput!) {
    requestEmailChange(input: $input)
  }
`;

export const ChangeUsernameMutation: TypedDocumentNode<Types.ChangeUsernameMutation, Types.ChangeUsernameMutationVariables> = gql`
  mutation ChangeUsername($input: ChangeUsernameInput!) {
    changeUsername(input: $input) { ...MeFields }
  }
  ${ME_FIELDS}
`;

export const SignOutOtherSessionsMutation: TypedDocumentNode<Types.SignOutOtherSessionsMutation, Types.SignOutOtherSessionsMutationVariables> = gql`
  mutation SignOutOtherSessions {
    signOutOtherSessions
  }
`;

export const DeleteAccountMutation: TypedDocumentNode<Types.DeleteAccountMutation, Types.DeleteAccountMutationVariables> = gql`
  mutation DeleteAccount($input: DeleteAccountInput!) {
    deleteAccount(input: $input)
  }
`;

export const BeginTwoFactorSetupMutation: TypedDocumentNode<Types.BeginTwoFactorSetupMutation, Types.BeginTwoFactorSetupMutationVariables> = gql`
  mutation BeginTwoFactorSetup($input: BeginTwoFactorSetupInput!) {
    beginTwoFactorSetup(input: $input) { secret otpauthUri }
  }
`;

export const ConfirmTwoFactorSetupMutation: TypedDocumentNode<Types.ConfirmTwoFactorSetupMutation, Types.ConfirmTwoFactorSetupMutationVariables> = gql`
  mutation ConfirmTwoFactorSetup($code: String!) {
    confirmTwoFactorSetup(code: $code) { codes }
  }
`;

export const DisableTwoFactorMutation: TypedDocumentNode<Types.DisableTwoFactorMutation, Types.DisableTwoFactorMutationVariables> = gql`
  mutation DisableTwoFactor($input: DisableTwoFactorInput!) {
    disableTwoFactor(input: $input) { ...MeFields }
  }
  ${ME_FIELDS}
`;

export const RegenerateRecoveryCodesMutation: TypedDocumentNode<Types.RegenerateRecoveryCodesMutation, Types.RegenerateRecoveryCodesMutationVariables> = gql`
  mutation RegenerateRecoveryCodes($input: RegenerateRecoveryCodesInput!) {
    regenerateRecoveryCodes(input: $input) { codes }
  }
`;
