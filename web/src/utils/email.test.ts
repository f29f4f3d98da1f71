import { describe, expect, it } from 'vitest';
import { maskEmail } from './email';

describe('maskEmail', () => {
  it('keeps the first character of the name and the whole domain', () => {
    expect(maskEmail('jane.doe@example.org')).toBe('j•••@example.org');
    expect(maskEmail('j@example.org')).toBe('j•••@example.org');
  });

  it('hides up to the last @ of a quoted name, and never splits a character', () => {
    expect(maskEmail('"a@b"@example.org')).toBe('"•••@example.org');
    expect(maskEmail('😀x@example.org')).toBe('😀•••@example.org');
  });

  it('hides what is not an address just as well', () => {
    expect(maskEmail('nobody')).toBe('n•••');
    expect(maskEmail('')).toBe('•••');
  });
});
