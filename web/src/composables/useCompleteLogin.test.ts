import { describe, expect, it } from 'vitest';
import { challengeGone, codeProblem } from './useCompleteLogin';

describe('the code of the second step', () => {
  it('takes the 6 digits of an authenticator app, spaces allowed', () => {
    expect(codeProblem('123456', 'app')).toBeNull();
    expect(codeProblem('123 456', 'app')).toBeNull();
    expect(codeProblem('', 'app')).toBe('required');
    expect(codeProblem('12345', 'app')).toBe('appCode');
    expect(codeProblem('1234567', 'app')).toBe('appCode');
    expect(codeProblem('12345a', 'app')).toBe('appCode');
  });

  it('takes a recovery code as shown, in any case, with or without dashes', () => {
    expect(codeProblem('ABCD-EFGH-JKMN', 'recovery')).toBeNull();
    expect(codeProblem('abcd efgh jkmn', 'recovery')).toBeNull();
    expect(codeProblem('ABCDEFGHJKMN', 'recovery')).toBeNull();
    expect(codeProblem('ABCD-EFGH', 'recovery')).toBeNull();
    expect(codeProblem(' ', 'recovery')).toBe('required');
    expect(codeProblem('ABC', 'recovery')).toBe('recoveryCode');
    expect(codeProblem('ABCD-EFGH-JK!N', 'recovery')).toBe('recoveryCode');
  });

  it('knows an expired or used challenge from a wrong code', () => {
    expect(challengeGone({ code: 'INVALID_TOKEN', message: '', fields: [] })).toBe(true);
    expect(challengeGone({ code: 'BAD_USER_INPUT', message: '', fields: [{ field: 'code', constraint: 'secondFactor', message: 'Wrong.' }] })).toBe(false);
    expect(challengeGone({ code: 'RATE_LIMITED', message: '', fields: [], retryAfter: 30 })).toBe(false);
    expect(challengeGone(null)).toBe(false);
  });
});
