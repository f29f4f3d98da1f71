import { describe, expect, it } from 'vitest';
import { formatDateTime, formatTime } from './time';

describe('formatTime', () => {
  const morning = new Date(2026, 2, 4, 7, 30);
  const evening = new Date(2026, 2, 4, 19, 5);

  it('writes English times on a 12-hour clock', () => {
    expect(formatTime(morning, 'en')).toMatch(/^7:30\s?AM$/);
    expect(formatTime(evening, 'en')).toMatch(/^7:05\s?PM$/);
  });

  it('writes Russian times on a 24-hour clock', () => {
    expect(formatTime(morning, 'ru')).toBe('07:30');
    expect(formatTime(evening, 'ru')).toBe('19:05');
  });

  it('takes ISO strings as well as dates', () => {
    expect(formatTime(morning.toISOString(), 'ru')).toBe('07:30');
  });

  it('puts the date before the time', () => {
    expect(formatDateTime(evening, 'ru')).toMatch(/^4 мар\.?, 19:05$/);
  });
});
