import { describe, expect, it } from 'vitest';
import type { ClientError } from '../graphql/errors';
import { formErrors, knownProblem, type Translate } from './useFormErrors';

/** A `t` that shows which key it was asked for. */
const t: Translate = (key) => key;

function refusal(code: ClientError['code'], fields: ClientError['fields'] = [], extra: Partial<ClientError> = {}): ClientError {
  return { code, message: fields[0]?.message ?? 'Refused.', fields, ...extra };
}

describe('knownProblem', () => {
  it('words the API’s refusals of the account forms itself', () => {
    expect(knownProblem({ field: 'currentPassword', constraint: 'currentPassword', message: 'x' })).toBe('wrongPassword');
    expect(knownProblem({ field: 'password', constraint: 'currentPassword', message: 'x' })).toBe('wrongPassword');
    expect(knownProblem({ field: 'newPassword', constraint: 'notCurrent', message: 'x' })).toBe('samePassword');
    expect(knownProblem({ field: 'newPassword', constraint: 'notCommon', message: 'x' })).toBe('commonPassword');
    expect(knownProblem({ field: 'code', constraint: 'secondFactor', message: 'x' })).toBe('wrongCode');
    expect(knownProblem({ field: 'code', constraint: 'required', message: 'x' })).toBe('codeRequired');
    expect(knownProblem({ field: 'input.username', constraint: 'unique', message: 'x' })).toBe('usernameTaken');
    expect(knownProblem({ field: 'newEmail', constraint: 'unique', message: 'x' })).toBe('emailTaken');
    expect(knownProblem({ field: 'twoFactorEnabled', constraint: 'setupBegun', message: 'x' })).toBe('setupExpired');
  });

  it('leaves the rest to the server’s words', () => {
    expect(knownProblem({ field: 'username', constraint: 'matches', message: 'x' })).toBeNull();
    expect(knownProblem({ field: 'password', constraint: 'required', message: 'x' })).toBeNull();
    expect(knownProblem({ field: 'email', constraint: 'unique', message: 'x' })).toBeNull();
  });
});

describe('formErrors', () => {
  const fields = ['currentPassword', 'newPassword'];

  it('puts each field’s problems under it, and nothing in the general message', () => {
    const error = refusal('BAD_USER_INPUT', [
      { field: 'input.currentPassword', constraint: 'currentPassword', message: 'That is not your current password.' },
      { field: 'newPassword', constraint: 'isLength', message: 'Use 8 to 128 characters.' },
    ]);
    expect(formErrors(error, fields, t)).toEqual({
      byField: { currentPassword: ['security.errors.wrongPassword'], newPassword: ['Use 8 to 128 characters.'] },
      general: '',
    });
  });

  it('says in general what names no field of the form', () => {
    const stale = refusal('CONFLICT', [{ field: 'twoFactorEnabled', constraint: 'twoFactorOff', message: 'On already.' }]);
    expect(formErrors(stale, ['password'], t)).toEqual({ byField: { password: [] }, general: 'security.errors.twoFactorOnAlready' });
    const odd = refusal('BAD_USER_INPUT', [{ field: 'locale', constraint: 'isIn', message: 'Unknown language.' }]);
    expect(formErrors(odd, ['password'], t).general).toBe('Unknown language.');
  });

  it('leaves an error that names no field to be said as any failure is', () => {
    expect(formErrors(refusal('RATE_LIMITED', [], { retryAfter: 150 }), ['username'], t)).toEqual({ byField: { username: [] }, general: null });
    expect(formErrors({ code: 'NETWORK', message: '', fields: [] }, fields, t).general).toBeNull();
    expect(formErrors(null, fields, t)).toEqual({ byField: { currentPassword: [], newPassword: [] }, general: '' });
  });
});
