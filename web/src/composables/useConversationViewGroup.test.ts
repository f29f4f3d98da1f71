import { describe, expect, it } from 'vitest';
import { canManage, canRemove, roleChoices } from './useConversationViewGroup';

describe('group permissions', () => {
  it('lets the owner remove anyone but themselves, an admin only plain members', () => {
    expect(canRemove('OWNER', 'ADMIN', false)).toBe(true);
    expect(canRemove('OWNER', 'OWNER', true)).toBe(false);
    expect(canRemove('ADMIN', 'MEMBER', false)).toBe(true);
    expect(canRemove('ADMIN', 'ADMIN', false)).toBe(false);
    expect(canRemove('MEMBER', 'MEMBER', false)).toBe(false);
  });

  it('gives role choices to the owner only', () => {
    expect(roleChoices('OWNER', 'MEMBER', false)).toEqual(['OWNER', 'ADMIN']);
    expect(roleChoices('ADMIN', 'MEMBER', false)).toEqual([]);
    expect(roleChoices('OWNER', 'OWNER', true)).toEqual([]);
  });

  it('lets admins and the owner manage the group', () => {
    expect([canManage('OWNER'), canManage('ADMIN'), canManage('MEMBER')]).toEqual([true, true, false]);
  });
});
