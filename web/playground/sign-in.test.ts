import { describe, expect, it } from 'vitest';
import { completeLogIn, logIn, type PostGraphQL } from './sign-in';

/** A server that answers each request with the next answer, and records what it was asked. */
function server(...answers: Awaited<ReturnType<PostGraphQL>>[]) {
  const asked: { query: string; variables: Record<string, unknown> }[] = [];
  const post: PostGraphQL = async (query, variables) => {
    asked.push({ query, variables });
    return answers.shift() ?? {};
  };
  return { post, asked };
}

const payload = (field: string) => ({ data: { [field]: { token: 'dsh_abc', me: { username: 'demo' } } } });

describe('signing in', () => {
  it('gives the session of a login', async () => {
    const { post, asked } = server(payload('login'));
    expect(await logIn(post, 'demo', 'welcome-to-dash')).toEqual({ kind: 'signed-in', session: { token: 'dsh_abc', username: 'demo' } });
    expect(asked[0]?.variables).toEqual({ input: { login: 'demo', password: 'welcome-to-dash' } });
  });

  it('goes on to completeLogin with the challenge when login answers TWO_FACTOR_REQUIRED', async () => {
    const required = { errors: [{ message: 'Enter the code.', extensions: { code: 'TWO_FACTOR_REQUIRED', challenge: 'ch_1', expiresAt: '…' } }] };
    const { post, asked } = server(required, payload('completeLogin'));
    expect(await logIn(post, 'demo', 'welcome-to-dash')).toEqual({ kind: 'two-factor', challenge: 'ch_1' });
    expect(await completeLogIn(post, 'ch_1', '123456')).toEqual({ kind: 'signed-in', session: { token: 'dsh_abc', username: 'demo' } });
    expect(asked[1]?.query).toContain('completeLogin(input: $input)');
    expect(asked[1]?.variables).toEqual({ input: { challenge: 'ch_1', code: '123456' } });
  });

  it("shows the server's message for any other error, and never takes an answer without a token", async () => {
    const { post } = server({ errors: [{ message: 'Wrong user name or password.', extensions: { code: 'UNAUTHENTICATED' } }] }, { data: { login: null } });
    expect(await logIn(post, 'demo', 'nope')).toEqual({ kind: 'failed', message: 'Wrong user name or password.' });
    expect((await logIn(post, 'demo', 'nope')).kind).toBe('failed');
  });
});
