/**
 * Password rules and hashing: argon2id with OWASP's parameters (19 MiB, t=2, p=1),
 * 8–128 characters, and not one of the ~50,000 most common passwords.
 */
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldProblem } from '../../core/errors.js';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

const ARGON2_OPTIONS = { algorithm: 2 /* Algorithm.Argon2id, a const enum */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const COMMON_PASSWORDS = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash never matches
  }
}

/**
 * A hash of a random password, verified against when the account does not exist,
 * so an unknown user name costs the same time as a wrong password.
 */
export const decoyHash: Promise<string> = hashPassword(`decoy-${Math.random()}-${Date.now()}`);

/** Problems with a new password beyond its length (which the input's validators check). */
export function passwordProblems(password: string, username: string, field = 'password'): FieldProblem[] {
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) {
    return [{ field, constraint: 'notCommon', message: 'This password is too common; choose another.' }];
  }
  if (lowered.includes(username.toLowerCase())) {
    return [{ field, constraint: 'notUsername', message: 'The password must not contain your user name.' }];
  }
  return [];
}
