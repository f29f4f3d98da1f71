/** The unique key of the direct conversation between two users: one per pair, whoever starts it. */
export function directKey(userA: string, userB: string): string {
  return userA < userB ? `${userA}:${userB}` : `${userB}:${userA}`;
}
