import { describe, expect, it } from 'vitest';
import { emailProblem, passwordProblem, repeatProblem, usernameProblem } from './useRegister';

describe('registration checks', () => {
  it('takes 3–32 letters, digits and underscores as a user name', () => {
    expect(usernameProblem('ann_42')).toBeNull();
    expect(usernameProblem('A'.repeat(32))).toBeNull();
    expect(usernameProblem('')).toBe('required');
    expect(usernameProblem('ab')).toBe('usernameLength');
    expect(usernameProblem('a'.repeat(33))).toBe('usernameLength');
    expect(usernameProblem('ann-42')).toBe('usernameChars');
    expect(usernameProblem('анна')).toBe('usernameChars');
  });

  it('wants something that looks like an email address', () => {
    expect(emailProblem(' ann@example.com ')).toBeNull();
    expect(emailProblem('')).toBe('required');
    expect(emailProblem('ann@example')).toBe('email');
    expect(emailProblem('ann example.com')).toBe('email');
    expect(emailProblem(`${'a'.repeat(250)}@x.io`)).toBe('emailTooLong');
  });

  it('wants a password of 8–128 characters, repeated exactly', () => {
    expect(passwordProblem('12345678')).toBeNull();
    expect(passwordProblem('1234567')).toBe('passwordLength');
    expect(passwordProblem('x'.repeat(129))).toBe('passwordLength');
    expect(repeatProblem('secret-pass', 'secret-pass')).toBeNull();
    expect(repeatProblem('secret-pass', '')).toBe('required');
    expect(repeatProblem('secret-pass', 'secret-Pass')).toBe('passwordsDiffer');
  });
});
