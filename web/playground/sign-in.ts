/**
 * The sign-in panel's requests: `login`, then `completeLogin` when the account has two-factor
 * sign-in on (login answers TWO_FACTOR_REQUIRED with `extensions.challenge`), and `logout`.
 * The request itself is passed in, so the steps are tested without a server.
 */
import type { PlaygroundSession } from './session';

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; challenge?: unknown };
}

/** One GraphQL request over HTTP; resolves with the JSON answer. */
export type PostGraphQL = (
  query: string,
  variables: Record<string, unknown>,
  token?: string,
) => Promise<{ data?: Record<string, unknown> | null; errors?: GraphQLErrorShape[] }>;

export type SignInStep =
  | { kind: 'signed-in'; session: PlaygroundSession }
  /** The password was right; a code from the authenticator app (or a recovery code) comes next. */
  | { kind: 'two-factor'; challenge: string }
  | { kind: 'failed'; message: string };

const LOGIN = `mutation PlaygroundSignIn($input: LoginInput!) { login(input: $input) { token me { username } } }`;
const COMPLETE_LOGIN = `mutation PlaygroundCompleteSignIn($input: CompleteLoginInput!) { completeLogin(input: $input) { token me { username } } }`;
const LOGOUT = `mutation PlaygroundSignOut { logout }`;

interface AuthPayload {
  token: string;
  me: { username: string };
}

function isAuthPayload(value: unknown): value is AuthPayload {
  const payload = value as Partial<AuthPayload> | null;
  return typeof payload?.token === 'string' && typeof payload.me?.username === 'string';
}

/** What an answer to login or completeLogin means for the panel. */
export function signInStep(answer: Awaited<ReturnType<PostGraphQL>>, field: 'login' | 'completeLogin'): SignInStep {
  const error = answer.errors?.[0];
  if (error?.extensions?.code === 'TWO_FACTOR_REQUIRED' && typeof error.extensions.challenge === 'string') {
    return { kind: 'two-factor', challenge: error.extensions.challenge };
  }
  if (error) return { kind: 'failed', message: error.message };
  const payload = answer.data?.[field];
  if (!isAuthPayload(payload)) return { kind: 'failed', message: 'The server answered without a session.' };
  return { kind: 'signed-in', session: { token: payload.token, username: payload.me.username } };
}

/** Step one: user name (or email) and password. */
export async function logIn(post: PostGraphQL, login: string, password: string): Promise<SignInStep> {
  return signInStep(await post(LOGIN, { input: { login, password } }), 'login');
}

/** Step two, for two-factor accounts: the challenge from step one and a code. */
export async function completeLogIn(post: PostGraphQL, challenge: string, code: string): Promise<SignInStep> {
  return signInStep(await post(COMPLETE_LOGIN, { input: { challenge, code } }), 'completeLogin');
}

/** Ends the session on the server (its sockets close too). A failure leaves nothing to do: the token is forgotten anyway. */
export async function logOut(post: PostGraphQL, token: string): Promise<void> {
  await post(LOGOUT, {}, token).catch(() => undefined);
}

/** {@link PostGraphQL} with fetch against `url`. */
export function postWithFetch(url: string): PostGraphQL {
  return async (query, variables, token) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Awaited<ReturnType<PostGraphQL>>;
  };
}
