import { describe, expect, it } from 'vitest';
import { pickLocale } from './useLocale';

describe('pickLocale', () => {
  it('keeps the language the user picked', () => {
    expect(pickLocale('ru', ['en-US'])).toBe('ru');
  });

  it('ignores a stored value we do not have', () => {
    expect(pickLocale('de', ['ru-RU'])).toBe('ru');
    expect(pickLocale('constructor', ['toString'])).toBe('en');
  });

  it('takes the first browser language we have, by its primary tag', () => {
    expect(pickLocale(null, ['de-DE', 'RU-ru', 'en'])).toBe('ru');
  });

  it('falls back to English', () => {
    expect(pickLocale(null, ['fr-FR'])).toBe('en');
    expect(pickLocale(null, [])).toBe('en');
  });
});
