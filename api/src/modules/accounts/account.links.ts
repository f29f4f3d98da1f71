/**
 * The links mailed for the account's life, built from PUBLIC_URL (never from a request's
 * Host header, which a client chooses). The token travels in the fragment: a browser never
 * sends it to a server, so it stays out of access logs and Referer headers; the web client
 * reads it from there.
 */
export interface AccountLinks {
  verifyEmail(token: string): string;
  resetPassword(token: string): string;
  confirmEmail(token: string): string;
}

/** @param baseUrl PUBLIC_URL, or the local address when it is unset */
export function accountLinks(baseUrl: string): AccountLinks {
  const link = (path: string, token: string) => `${baseUrl.replace(/\/+$/, '')}${path}#token=${encodeURIComponent(token)}`;
  return {
    verifyEmail: (token) => link('/verify-email', token),
    resetPassword: (token) => link('/reset-password', token),
    confirmEmail: (token) => link('/confirm-email', token),
  };
}
