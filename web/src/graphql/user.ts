/** The signed-in user as the client shows it (the API's `Me` type, in part). */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  email: string;
  /** Whether the email address has been confirmed by its mailed link. */
  emailVerified: boolean;
  /** A new address awaiting confirmation by its mailed link, if any. */
  pendingEmail: string | null;
  /** Whether signing in asks for a code after the password. */
  twoFactorEnabled: boolean;
  /** Unused recovery codes left; 0 while two-factor sign-in is off. */
  recoveryCodesLeft: number;
}
