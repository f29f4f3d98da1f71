import { describe, expect, it } from 'vitest';
import type { ClientError } from '../graphql/errors';
import { nextSignInStep, PASSWORD_STEP, type SignInEvent, type SignInStep } from './useLogin';

const refused = (error: Partial<ClientError> & Pick<ClientError, 'code'>): SignInEvent => ({
  type: 'refused',
  error: { message: '', fields: [], ...error },
});
const twoFactorRequired = refused({
  code: 'TWO_FACTOR_REQUIRED',
  challenge: { challenge: 'challenge-1', expiresAt: '2026-01-01T00:05:00.000Z' },
});
const codeStep: SignInStep = { name: 'code', challenge: 'challenge-1' };

describe('the two-step sign-in', () => {
  it('asks for a code when the password was right and two-factor is on', () => {
    expect(nextSignInStep(PASSWORD_STEP, twoFactorRequired)).toEqual(codeStep);
  });

  it('stays at the password for wrong credentials and other refusals', () => {
    expect(nextSignInStep(PASSWORD_STEP, refused({ code: 'UNAUTHENTICATED' }))).toEqual(PASSWORD_STEP);
    expect(nextSignInStep(PASSWORD_STEP, refused({ code: 'RATE_LIMITED', retryAfter: 60 }))).toEqual(PASSWORD_STEP);
    expect(nextSignInStep(PASSWORD_STEP, refused({ code: 'NETWORK' }))).toEqual(PASSWORD_STEP);
  });

  it('cannot go on to the code step without a challenge', () => {
    expect(nextSignInStep(PASSWORD_STEP, refused({ code: 'TWO_FACTOR_REQUIRED' }))).toEqual(PASSWORD_STEP);
  });

  it('goes back to the password, saying why, when the challenge expired', () => {
    const back = nextSignInStep(codeStep, { type: 'expired' });
    expect(back).toEqual({ name: 'password', challengeExpired: true });
    // Trying the password again clears the notice, whatever the answer.
    expect(nextSignInStep(back, refused({ code: 'UNAUTHENTICATED' }))).toEqual(PASSWORD_STEP);
    expect(nextSignInStep(back, twoFactorRequired)).toEqual(codeStep);
  });

  it('ignores a late expiry once back at the password', () => {
    expect(nextSignInStep(PASSWORD_STEP, { type: 'expired' })).toBe(PASSWORD_STEP);
  });

  it('goes back to the password without a notice when the person asks', () => {
    expect(nextSignInStep(codeStep, { type: 'back' })).toEqual(PASSWORD_STEP);
  });

  it('takes a new challenge when the password is sent again', () => {
    const again = refused({ code: 'TWO_FACTOR_REQUIRED', challenge: { challenge: 'challenge-2', expiresAt: '2026-01-01T00:10:00.000Z' } });
    expect(nextSignInStep(PASSWORD_STEP, again)).toEqual({ name: 'code', challenge: 'challenge-2' });
  });
});
