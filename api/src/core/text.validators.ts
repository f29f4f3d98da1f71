/**
 * Rules for text the API stores, shared by the inputs of every module: it must be what
 * PostgreSQL will store, and fit where PostgreSQL will store it.
 */
import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Whether `text` is well-formed UTF-16: no unpaired surrogate. PostgreSQL would store
 * one as U+FFFD (Node encodes it so), i.e. something other than what was sent, and
 * validator.js's isEmail throws on one instead of answering.
 */
export function isWellFormedText(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}

/** Characters as a `varchar(n)` counts them: code points (class-validator's Length leaves out variation selectors). */
export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Well-formed text (see {@link isWellFormedText}). Put it below the property's other decorators: they run after it. */
export function IsWellFormedText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isWellFormed', validator: { validate: (value) => typeof value === 'string' && isWellFormedText(value) } }, options);
}

/** `min`–`max` characters as PostgreSQL counts them; reported as class-validator's `isLength`. */
export function CharLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLength',
      constraints: [min, max],
      validator: {
        validate(value) {
          if (typeof value !== 'string') return false;
          const count = charCount(value);
          return count >= min && count <= max;
        },
      },
    },
    options,
  );
}
