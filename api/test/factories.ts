/** Test data made through the public API, with names unique across the run. */
import { randomBytes } from 'node:crypto';
import type { TestServer } from './server.js';

export const PASSWORD = 'correct horse battery staple';

export function uniqueName(prefix = 'u'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  token: string;
  sessionId: string;
}

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) { token session { id } me { id username email } }
  }
`;

export async function registerUser(server: TestServer, overrides: { username?: string; email?: string; password?: string } = {}): Promise<TestUser> {
  const username = overrides.username ?? uniqueName();
  const input = {
    username,
    email: overrides.email ?? `${username.toLowerCase()}@example.test`,
    password: overrides.password ?? PASSWORD,
  };
  const result = await server.gql<{ register: { token: string; session: { id: string }; me: { id: string; username: string; email: string } } }>(
    REGISTER,
    { input },
  );
  if (!result.data?.register) throw new Error(`register failed: ${JSON.stringify(result.errors)}`);
  const { token, session, me } = result.data.register;
  return { id: me.id, username: me.username, email: me.email, password: input.password, token, sessionId: session.id };
}

export const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) { token session { id } me { id username } }
  }
`;

export async function login(server: TestServer, loginName: string, password = PASSWORD) {
  return server.gql<{ login: { token: string; session: { id: string }; me: { id: string; username: string } } }>(LOGIN, {
    input: { login: loginName, password },
  });
}
