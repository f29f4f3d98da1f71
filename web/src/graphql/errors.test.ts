import { describe, expect, it } from 'vitest';
import { ApolloError } from '@apollo/client/core';
import { fieldMessages, graphQLErrorsOf, toClientError } from './errors';

const wrongCredentials = { message: 'Wrong user name or password.', extensions: { code: 'UNAUTHENTICATED' } };

/** What HttpLink throws for a non-2xx answer that still has a GraphQL body. */
function serverError(status: number, result: unknown): Error {
  return Object.assign(new Error(`Response not successful: Received status code ${status}`), {
    name: 'ServerError',
    statusCode: status,
    result,
  });
}

describe('toClientError', () => {
  it('keeps the server message and code', () => {
    const error = new ApolloError({ graphQLErrors: [wrongCredentials] });
    expect(toClientError(error)).toEqual({ code: 'UNAUTHENTICATED', message: 'Wrong user name or password.', fields: [] });
  });

  it('reads field problems and keeps only well-formed ones', () => {
    const fields = [{ field: 'input.login', constraint: 'isNotEmpty', message: 'Enter a user name.' }, { nope: 1 }];
    const error = new ApolloError({
      graphQLErrors: [{ message: 'Enter a user name.', extensions: { code: 'BAD_USER_INPUT', fields } }],
    });
    expect(toClientError(error).fields).toEqual([fields[0]]);
  });

  it('finds the GraphQL errors inside a non-2xx response', () => {
    const body = { errors: [{ message: 'Too many attempts.', extensions: { code: 'RATE_LIMITED', retryAfter: 30 } }] };
    const error = new ApolloError({ networkError: serverError(429, body) });
    expect(toClientError(error)).toMatchObject({ code: 'RATE_LIMITED', message: 'Too many attempts.', retryAfter: 30 });
  });

  it('hands on the challenge of a sign-in that needs its second step', () => {
    const extensions = { code: 'TWO_FACTOR_REQUIRED', challenge: 'c-123', expiresAt: '2026-01-01T00:05:00.000Z' };
    const error = new ApolloError({ graphQLErrors: [{ message: 'Enter the code from your authenticator app.', extensions }] });
    expect(toClientError(error)).toMatchObject({
      code: 'TWO_FACTOR_REQUIRED',
      challenge: { challenge: 'c-123', expiresAt: '2026-01-01T00:05:00.000Z' },
    });
    const withoutChallenge = new ApolloError({ graphQLErrors: [{ message: 'Odd.', extensions: { code: 'TWO_FACTOR_REQUIRED' } }] });
    expect(toClientError(withoutChallenge).challenge).toBeUndefined();
  });

  it('calls a failure without a GraphQL answer NETWORK', () => {
    const error = new ApolloError({ networkError: new TypeError('Failed to fetch') });
    expect(toClientError(error)).toEqual({ code: 'NETWORK', message: '', fields: [] });
    expect(graphQLErrorsOf(serverError(502, '<html>Bad gateway</html>'))).toEqual([]);
  });

  it('treats a code outside the contract as an internal error', () => {
    const error = new ApolloError({ graphQLErrors: [{ message: 'Odd.', extensions: { code: 'TEAPOT' } }] });
    expect(toClientError(error).code).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('fieldMessages', () => {
  const error = {
    code: 'BAD_USER_INPUT' as const,
    message: '',
    fields: [
      { field: 'input.password', constraint: 'maxLength', message: 'Too long.' },
      { field: 'login', constraint: 'isNotEmpty', message: 'Required.' },
    ],
  };

  it('matches a field by name or by path', () => {
    expect(fieldMessages(error, 'password')).toEqual(['Too long.']);
    expect(fieldMessages(error, 'login')).toEqual(['Required.']);
    expect(fieldMessages(null, 'login')).toEqual([]);
  });
});
