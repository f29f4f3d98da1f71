import { describe, expect, it } from 'vitest';
import { mayAutofocus } from './useAutofocus';

describe('autofocus', () => {
  it('is given while nothing has focus, never taken from a field someone is in', () => {
    const body = {} as HTMLElement;
    const field = {} as Element;
    expect(mayAutofocus(null, body)).toBe(true);
    expect(mayAutofocus(body, body)).toBe(true);
    expect(mayAutofocus(field, body)).toBe(false);
  });
});
