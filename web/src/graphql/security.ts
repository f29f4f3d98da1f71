/**
 * The signed-in account's sign-in settings — password, email, user name, two-factor sign-in,
 * other sessions, deletion — typed by hand after schema.graphql. What answers with `Me`
 * selects `MeFields`, so the cached user follows without further work.
 */
import { gql, type TypedDocumentNode } from '@apollo/client/core';
import { ME_FIELDS } from './me';
import type { Me } from './user';

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

export interface RequestEmailChangeInput {
  newEmail: string;
  password: string;
}

/** Proof of both factors: the password and a code from the app, or an unused recovery code. */
export interface BothFactorsInput {
  password: string;
  code: string;
}

export interface DeleteAccountInput {
  password: string;
  /** Required while two-factor sign-in is on; ignored otherwise. */
  code?: string;
}

export interface TwoFactorSetup {
  /** Base32, for typing into an authenticator app. */
  secret: string;
  /** The same secret as an `otpauth://totp/…` URI, for the QR code. */
  otpauthUri: string;
}

export interface RecoveryCodes {
  codes: string[];
}

export const ChangePasswordMutation: TypedDocumentNode<{ changePassword: boolean }, { input: ChangePasswordInput }> = gql`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input)
  }
`;

export const RequestEmailChangeMutation: TypedDocumentNode<{ requestEmailChange: boolean }, { input: RequestEmailChangeInput }> = gql`
  mutation RequestEmailChange($input: RequestEmailChangeInput!) {
    requestEmailChange(input: $input)
  }
`;

export const ChangeUsernameMutation: TypedDocumentNode<{ changeUsername: Me }, { input: { username: string } }> = gql`
  mutation ChangeUsername($input: ChangeUsernameInput!) {
    changeUsername(input: $input) { ...MeFields }
  }
  ${ME_FIELDS}
`;

export const SignOutOtherSessionsMutation: TypedDocumentNode<{ signOutOtherSessions: number }, Record<string, never>> = gql`
  mutation SignOutOtherSessions {
    signOutOtherSessions
  }
`;

export const DeleteAccountMutation: TypedDocumentNode<{ deleteAccount: boolean }, { input: DeleteAccountInput }> = gql`
  mutation DeleteAccount($input: DeleteAccountInput!) {
    deleteAccount(input: $input)
  }
`;

export const BeginTwoFactorSetupMutation: TypedDocumentNode<{ beginTwoFactorSetup: TwoFactorSetup }, { input: { password: string } }> = gql`
  mutation BeginTwoFactorSetup($input: BeginTwoFactorSetupInput!) {
    beginTwoFactorSetup(input: $input) { secret otpauthUri }
  }
`;

export const ConfirmTwoFactorSetupMutation: TypedDocumentNode<{ confirmTwoFactorSetup: RecoveryCodes }, { code: string }> = gql`
  mutation ConfirmTwoFactorSetup($code: String!) {
    confirmTwoFactorSetup(code: $code) { codes }
  }
`;

export const DisableTwoFactorMutation: TypedDocumentNode<{ disableTwoFactor: Me }, { input: BothFactorsInput }> = gql`
  mutation DisableTwoFactor($input: DisableTwoFactorInput!) {
    disableTwoFactor(input: $input) { ...MeFields }
  }
  ${ME_FIELDS}
`;

export const RegenerateRecoveryCodesMutation: TypedDocumentNode<{ regenerateRecoveryCodes: RecoveryCodes }, { input: BothFactorsInput }> = gql`
  mutation RegenerateRecoveryCodes($input: RegenerateRecoveryCodesInput!) {
    regenerateRecoveryCodes(input: $input) { codes }
  }
`;
