import { describe, expect, it } from 'vitest';
import { groupSecret, isAppCode, isStaleTwoFactorState, nextSetupState, normalizeCode, recoveryCodesFile, type SetupState } from './useTwoFactor';

const setup = { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/Dash:ann?secret=JBSWY3DPEHPK3PXP&issuer=Dash' };
const codes = ['ABCD-EFGH-JKMN', 'PQRS-TUVW-XYZ2'];

describe('nextSetupState', () => {
  const password: SetupState = { step: 'password' };
  const scan: SetupState = { step: 'scan', setup };

  it('goes password → scan → codes', () => {
    expect(nextSetupState(password, { type: 'begun', setup })).toEqual(scan);
    expect(nextSetupState(scan, { type: 'confirmed', codes })).toEqual({ step: 'codes', codes });
  });

  it('goes back to the password when the pending secret was replaced', () => {
    expect(nextSetupState(scan, { type: 'expired' })).toEqual(password);
  });

  it('ignores events that do not fit the step', () => {
    const shown: SetupState = { step: 'codes', codes };
    expect(nextSetupState(password, { type: 'confirmed', codes })).toBe(password);
    expect(nextSetupState(scan, { type: 'begun', setup: { ...setup, secret: 'OTHER' } })).toBe(scan);
    // The codes stay on screen whatever comes late: they are shown this once.
    expect(nextSetupState(shown, { type: 'expired' })).toBe(shown);
    expect(nextSetupState(shown, { type: 'begun', setup })).toBe(shown);
  });

  it('starts over from any step on reset', () => {
    expect(nextSetupState({ step: 'codes', codes }, { type: 'reset' })).toEqual(password);
    expect(nextSetupState(scan, { type: 'reset' })).toEqual(password);
  });
});

describe('codes and keys', () => {
  it('groups the key in fours', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('JBSWY3DPEHPK3PXPAB')).toBe('JBSW Y3DP EHPK 3PXP AB');
    expect(groupSecret('')).toBe('');
  });

  it('takes six digits from the app, spaces aside', () => {
    expect(isAppCode('123456')).toBe(true);
    expect(isAppCode(' 123 456 ')).toBe(true);
    expect(normalizeCode(' 123 456 ')).toBe('123456');
    expect(isAppCode('12345')).toBe(false);
    expect(isAppCode('1234567')).toBe(false);
    expect(isAppCode('12345a')).toBe(false);
  });

  it('knows a stale view of the account from other conflicts', () => {
    const field = (name: string) => [{ field: name, constraint: 'x', message: 'x' }];
    expect(isStaleTwoFactorState({ code: 'CONFLICT', message: '', fields: field('twoFactorEnabled') })).toBe(true);
    expect(isStaleTwoFactorState({ code: 'CONFLICT', message: '', fields: field('username') })).toBe(false);
    expect(isStaleTwoFactorState({ code: 'BAD_USER_INPUT', message: '', fields: field('twoFactorEnabled') })).toBe(false);
    expect(isStaleTwoFactorState(null)).toBe(false);
  });

  it('writes the recovery codes one a line under a heading', () => {
    expect(recoveryCodesFile(codes, 'Codes for @ann', 'Each works once.')).toBe('Codes for @ann\nEach works once.\n\nABCD-EFGH-JKMN\nPQRS-TUVW-XYZ2\n');
  });
});
