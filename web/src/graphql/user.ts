/** The signed-in user as the client shows it (the API's `Me` type, in part). */
export interface Me {
  id: string;
  username: string;
  displayName: string;
  email: string;
}
