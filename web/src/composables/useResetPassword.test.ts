import { describe, expect, it } from 'vitest';
import type { ClientError } from '../graphql/errors';
import { resetOutcome } from './useResetPassword';

const error = (fields: Partial<ClientError> & Pick<ClientError, 'code'>): ClientError => ({ message: '', fields: [], ...fields });

describe('resetOutcome', () => {
  it('is signed in when the API started a session', () => {
    expect(resetOutcome(null)).toEqual({ name: 'signedIn' });
  });

  it('asks for a code when the account has two-factor sign-in on', () => {
    const twoFactor = error({ code: 'TWO_FACTOR_REQUIRED', challenge: { challenge: 'c-1', expiresAt: '2026-01-01T00:05:00.000Z' } });
    expect(resetOutcome(twoFactor)).toEqual({ name: 'code', challenge: 'c-1' });
  });

  it('gives up on a used, expired or replaced link', () => {
    expect(resetOutcome(error({ code: 'INVALID_TOKEN' }))).toEqual({ name: 'invalidLink' });
  });

  it('stays at the form for a refused password and anything passing', () => {
    const refused = error({ code: 'BAD_USER_INPUT', fields: [{ field: 'newPassword', constraint: 'common', message: 'Too common.' }] });
    expect(resetOutcome(refused)).toEqual({ name: 'form' });
    expect(resetOutcome(error({ code: 'NETWORK' }))).toEqual({ name: 'form' });
    expect(resetOutcome(error({ code: 'TWO_FACTOR_REQUIRED' }))).toEqual({ name: 'form' });
  });
});
