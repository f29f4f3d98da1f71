import { describe, expect, it } from 'vitest';
import { recoverByFor } from './useRecover';

describe('recoverByFor', () => {
  it('opens the tab that fits what was typed on the sign-in page', () => {
    expect(recoverByFor('ann@example.com')).toBe('email');
    expect(recoverByFor('ann_42')).toBe('username');
  });

  it('opens the first tab, the email, when nothing was typed', () => {
    expect(recoverByFor('')).toBe('email');
  });
});
