import { describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';
import { CONVERSATION_COLUMNS, MEMBERSHIP_COLUMNS, MESSAGE_COLUMNS, pickColumns, USER_COLUMNS } from './rows.js';

describe('raw rows', () => {
  it('name every scalar field of their model, so a new column cannot be forgotten', () => {
    expect(Object.keys(MESSAGE_COLUMNS).sort()).toEqual(Object.values(Prisma.MessageScalarFieldEnum).sort());
    expect(Object.keys(MEMBERSHIP_COLUMNS).sort()).toEqual(Object.values(Prisma.MembershipScalarFieldEnum).sort());
    expect(Object.keys(CONVERSATION_COLUMNS).sort()).toEqual(Object.values(Prisma.ConversationScalarFieldEnum).sort());
    expect(Object.keys(USER_COLUMNS).sort()).toEqual(Object.values(Prisma.UserScalarFieldEnum).sort());
  });

  it('picks a model out of a joined row, or null for an unmatched join', () => {
    const row = { c_id: 'c1', c_kind: 'GROUP', e_id: null, e_body: null };
    expect(pickColumns(row, { id: 'id', kind: 'kind' }, 'c_')).toEqual({ id: 'c1', kind: 'GROUP' });
    expect(pickColumns(row, { id: 'id', body: 'body' }, 'e_')).toBeNull();
  });
});
