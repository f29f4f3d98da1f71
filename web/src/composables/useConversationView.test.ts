import { describe, expect, it } from 'vitest';
import type { MessageData } from '../graphql/messenger';
import { buildRows, describePresence, describeSystem, describeTyping, firstUnreadSeq, messageActions } from './useConversationView';

let nextSeq = 1;
function message(senderId: string, createdAt: string, extra: Partial<MessageData> = {}): MessageData {
  const seq = nextSeq++;
  return {
    id: `m${seq}`,
    conversationId: 'c1',
    seq,
    updatedSeq: seq,
    kind: 'TEXT',
    body: `hello ${seq}`,
    edited: false,
    deleted: false,
    clientMsgId: null,
    createdAt,
    sender: { id: senderId, displayName: senderId, username: senderId },
    replyTo: null,
    isReply: false,
    event: null,
    attachments: [],
    sticker: null,
    ...extra,
  };
}

describe('buildRows', () => {
  it('puts a separator before each new day and groups a sender within five minutes', () => {
    nextSeq = 1;
    const messages = [
      message('alice', '2025-03-01T10:00:00'),
      message('alice', '2025-03-01T10:04:00'),
      message('alice', '2025-03-01T10:10:00'),
      message('bob', '2025-03-01T10:11:00'),
      message('bob', '2025-03-02T09:00:00'),
    ];
    const rows = buildRows(messages, [], { viewerId: 'bob', othersReadSeq: 4 });
    expect(rows.map((r) => r.kind)).toEqual(['day', 'message', 'message', 'message', 'message', 'day', 'message']);
    const bubbles = rows.filter((r) => r.kind === 'message');
    expect(bubbles.map((r) => r.first)).toEqual([true, false, true, true, true]);
    expect(bubbles.map((r) => r.status)).toEqual([null, null, null, 'read', 'sent']);
  });

  it('breaks a run at a system message and never gives receipts to tombstones', () => {
    nextSeq = 1;
    const messages = [
      message('me', '2025-03-01T10:00:00'),
      message('alice', '2025-03-01T10:00:30', { kind: 'SYSTEM', body: '' }),
      message('me', '2025-03-01T10:01:00', { deleted: true, body: '' }),
    ];
    const rows = buildRows(messages, [], { viewerId: 'me', othersReadSeq: 0 });
    expect(rows.map((r) => r.kind)).toEqual(['day', 'message', 'system', 'message']);
    expect(rows[3]).toMatchObject({ first: true, status: null, own: true });
  });

  it('shows pending and failed sends after the history, unless the server already stored them', () => {
    nextSeq = 1;
    const stored = message('me', '2025-03-01T10:00:00', { clientMsgId: 'k1' });
    const outgoing = [
      { clientMsgId: 'k1', conversationId: 'c1', body: 'a', replyToId: null, status: 'pending' as const, createdAt: '2025-03-01T10:00:00', failure: null },
      { clientMsgId: 'k2', conversationId: 'c1', body: 'b', replyToId: null, status: 'failed' as const, createdAt: '2025-03-01T10:00:05', failure: { code: 'FORBIDDEN' as const, message: 'No.' } },
    ];
    const rows = buildRows([stored], outgoing, { viewerId: 'me', othersReadSeq: 0 });
    expect(rows.map((r) => r.key)).toEqual(['day-2025-03-01', stored.id, 'k2']);
    expect(rows[2]).toMatchObject({ seq: null, status: 'failed', first: false });
  });
});

describe('firstUnreadSeq', () => {
  it('skips own and system messages', () => {
    nextSeq = 1;
    const messages = [message('alice', '2025-03-01T10:00:00'), message('me', '2025-03-01T10:00:00'), message('x', '2025-03-01T10:00:00', { kind: 'SYSTEM' }), message('alice', '2025-03-01T10:00:00')];
    expect(firstUnreadSeq(messages, 1, 'me')).toBe(4);
    expect(firstUnreadSeq(messages, 4, 'me')).toBeNull();
  });
});

describe('messageActions', () => {
  const at = '2025-03-01T10:00:00';
  it('offers a message reply, edit on one\'s own text or caption, and delete', () => {
    expect(messageActions(message('me', at), { own: true, readOnly: false })).toEqual(['reply', 'edit', 'delete']);
    expect(messageActions(message('me', at, { kind: 'STICKER' }), { own: true, readOnly: false })).toEqual(['reply', 'delete']);
    expect(messageActions(message('alice', at), { own: false, readOnly: false })).toEqual(['reply', 'delete']);
  });

  it('offers only delete (for oneself) on a tombstone and on a system line, as Telegram and Element do', () => {
    expect(messageActions(message('me', at, { deleted: true, body: '' }), { own: true, readOnly: false })).toEqual(['delete']);
    expect(messageActions(message('alice', at, { deleted: true, body: '' }), { own: false, readOnly: false })).toEqual(['delete']);
    expect(messageActions(message('alice', at, { kind: 'SYSTEM' }), { own: false, readOnly: false })).toEqual(['delete']);
  });

  it('offers nothing in a group one was removed from (its composer is gone and the server refuses every change), nor on a send still in the outbox', () => {
    expect(messageActions(message('me', at), { own: true, readOnly: true })).toEqual([]);
    expect(messageActions(message('alice', at), { own: false, readOnly: true })).toEqual([]);
    expect(messageActions(message('alice', at, { deleted: true }), { own: false, readOnly: true })).toEqual([]);
    expect(messageActions(message('alice', at, { kind: 'SYSTEM' }), { own: false, readOnly: true })).toEqual([]);
    expect(messageActions(null, { own: true, readOnly: false })).toEqual([]);
  });
});

describe('describeSystem', () => {
  const system = (event: MessageData['event']) => message('alice', '2025-03-01T10:00:00', { kind: 'SYSTEM', event });
  const alice = { id: 'a', displayName: 'Alice' };
  const bob = { id: 'b', displayName: 'Bob' };
  const carol = { id: 'c', displayName: 'Carol' };

  it('names who did what to whom', () => {
    expect(describeSystem(system({ type: 'MEMBERS_ADDED', actor: alice, users: [bob, carol], title: null, role: null }), 'en', '?')).toEqual({
      key: 'conversation.system.added',
      params: { actor: 'Alice', users: 'Bob and Carol' },
    });
    expect(describeSystem(system({ type: 'MEMBER_LEFT', actor: bob, users: [bob], title: null, role: null }), 'en', '?').params).toEqual({ users: 'Bob' });
    expect(describeSystem(system({ type: 'TITLE_CHANGED', actor: alice, users: [], title: 'X', role: null }), 'en', '?')).toEqual({
      key: 'conversation.system.renamed',
      params: { actor: 'Alice', title: 'X' },
    });
    expect(describeSystem(system({ type: 'ROLE_CHANGED', actor: alice, users: [bob], title: null, role: 'ADMIN' }), 'en', '?').key).toBe('conversation.system.madeAdmin');
  });
});

describe('describePresence and describeTyping', () => {
  const now = Date.parse('2025-03-01T12:00:00');
  it('says online, last seen, or nothing when hidden', () => {
    expect(describePresence({ online: true, lastSeenAt: null }, 'en', now)?.key).toBe('conversation.online');
    expect(describePresence({ online: null, lastSeenAt: null }, 'en', now)).toBeNull();
    expect(describePresence({ online: false, lastSeenAt: new Date(now - 30_000).toISOString() }, 'en', now)?.key).toBe('conversation.lastSeenJustNow');
    expect(describePresence({ online: false, lastSeenAt: new Date(now - 3_600_000).toISOString() }, 'en', now)?.key).toBe('conversation.lastSeenToday');
    expect(describePresence({ online: false, lastSeenAt: new Date(now - 3 * 86_400_000).toISOString() }, 'en', now)?.key).toBe('conversation.lastSeenOn');
  });

  it('names one or two typists and counts more', () => {
    expect(describeTyping([])).toBeNull();
    expect(describeTyping(['Alice'])).toEqual({ key: 'conversation.typingOne', params: { name: 'Alice' } });
    expect(describeTyping(['Alice', 'Bob', 'Carol'])).toEqual({ key: 'conversation.typingMany', params: { n: 3 } });
  });
});
