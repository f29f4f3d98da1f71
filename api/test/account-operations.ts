/**
 * The account mutations and mail subjects that several tests of the account's life share
 * (tests with a selection of their own keep it beside them).
 */
export const VERIFY_EMAIL = 'mutation($token: String!) { verifyEmail(token: $token) }';
export const RESEND_VERIFICATION = 'mutation { resendVerificationEmail }';
export const REQUEST_RESET = 'mutation($login: String!) { requestPasswordReset(login: $login) }';
export const REQUEST_EMAIL_CHANGE = 'mutation($input: RequestEmailChangeInput!) { requestEmailChange(input: $input) }';
export const CONFIRM_EMAIL_CHANGE = 'mutation($token: String!) { confirmEmailChange(token: $token) }';
export const CHANGE_PASSWORD = 'mutation($input: ChangePasswordInput!) { changePassword(input: $input) }';

/** The subjects of the account's mails in English (account.mails.ts). */
export const SUBJECTS = {
  verify: 'Confirm your email for Dash',
  reset: 'Reset your Dash password',
  confirm: 'Confirm your new email for Dash',
  changed: 'Your Dash email was changed',
  password: 'Your Dash password was changed',
} as const;
