import { describe, expect, it } from 'vitest';
import type { MessageData } from '../../graphql/messenger';
import list from '../../locales/en/list';
import { avatarColor, formatActivityTime, initials, messagePreview, plainText, type Translate } from './format';
import { conversationTitle } from './title';

/** The English strings with `{name}` filled in: what vue-i18n does for these messages. */
const t: Translate = (key, named = {}) => {
  const found = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], { list });
  if (typeof found !== 'string') throw new Error(`no message ${key}`);
  return found.replace(/\{(\w+)\}/g, (_, name: string) => String(named[name]));
};

function message(overrides: Partial<MessageData>): MessageData {
  return {
    id: 'm1',
    conversationId: 'c1',
    seq: 1,
    updatedSeq: 1,
    kind: 'TEXT',
    body: 'hi',
    edited: false,
    deleted: false,
    clientMsgId: null,
    createdAt: '2024-03-12T09:05:00Z',
    sender: { id: 'u-bob', displayName: 'Bob', username: 'bob' },
    replyTo: null,
    isReply: false,
    event: null,
    attachments: [],
    sticker: null,
    ...overrides,
  };
}

const alice = { id: 'u-alice', displayName: 'Alice' };
const carol = { id: 'u-carol', displayName: 'Carol' };

describe('initials', () => {
  it('takes the first letters of the first two words', () => {
    expect(initials('Alice Liddell Pleasance')).toBe('AL');
    expect(initials('  bob  ')).toBe('B');
  });

  it('falls back to the user name when the name is blank', () => {
    expect(initials(' ', 'carol_99')).toBe('CA');
    expect(initials('')).toBe('?');
  });

  it('keeps emoji and non-Latin letters whole', () => {
    expect(initials('😀 Smile')).toBe('😀S');
    expect(initials('юлия смирнова')).toBe('ЮС');
  });
});

describe('avatarColor', () => {
  it('gives the same id the same colour', () => {
    expect(avatarColor('0b6c5f1e-0000-4000-8000-000000000001')).toBe(avatarColor('0b6c5f1e-0000-4000-8000-000000000001'));
  });

  it('spreads ids over the palette', () => {
    const colors = new Set(Array.from({ length: 100 }, (_, i) => avatarColor(`user-${i}`)));
    expect(colors.size).toBeGreaterThan(8);
    for (const color of colors) expect(color).toMatch(/^#[0-9A-F]{6}$/);
  });
});

describe('formatActivityTime', () => {
  const now = new Date(2024, 2, 14, 18, 30); // Thursday 14 March 2024, local time
  const at = (...parts: [number, number, number, number?, number?]) => new Date(...parts).toISOString();

  it('shows the time for today', () => {
    expect(formatActivityTime(at(2024, 2, 14, 9, 5), 'en', now)).toMatch(/^9:05\sAM$/);
    expect(formatActivityTime(at(2024, 2, 14, 0, 0), 'ru', now)).toBe('00:00');
  });

  it('shows the weekday within the last six days', () => {
    expect(formatActivityTime(at(2024, 2, 13, 23, 59), 'en', now)).toBe('Wed');
    expect(formatActivityTime(at(2024, 2, 8, 12), 'en', now)).toBe('Fri');
  });

  it('shows the date from a week back, with the year only when not this year', () => {
    expect(formatActivityTime(at(2024, 2, 7, 12), 'en', now)).toBe('Mar 7');
    expect(formatActivityTime(at(2023, 11, 31, 12), 'en-GB', now)).toBe('31/12/2023');
  });
});

describe('plainText', () => {
  it('drops Markdown markup and keeps the words', () => {
    expect(plainText('**bold** and _it_ with `code` and [a link](https://x.test)')).toBe('bold and it with code and a link');
    expect(plainText('# Title\n\n> quoted\n\n- one\n- two')).toBe('Title quoted one two');
  });

  it('keeps raw HTML as the text it is', () => {
    expect(plainText('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });

  it('puts lines and code blocks on one line', () => {
    expect(plainText('first\nsecond\n\n```\nconst x = 1;\n```')).toBe('first second const x = 1;');
  });
});

describe('messagePreview', () => {
  it('says when there is nothing yet, and when the message was deleted', () => {
    expect(messagePreview(null, 'u-alice', false, t)).toBe('No messages yet');
    expect(messagePreview(message({ deleted: true, body: '' }), 'u-alice', false, t)).toBe('Message deleted');
  });

  it('names the sender in groups and the viewer everywhere', () => {
    expect(messagePreview(message({ body: 'hi *there*' }), 'u-alice', false, t)).toBe('hi there');
    expect(messagePreview(message({}), 'u-alice', true, t)).toBe('Bob: hi');
    expect(messagePreview(message({ sender: { ...alice, username: 'alice' } }), 'u-alice', false, t)).toBe('You: hi');
  });

  it('names a deleted account as the sender in groups', () => {
    expect(messagePreview(message({ sender: null }), 'u-alice', true, t)).toBe('Deleted account: hi');
    expect(messagePreview(message({ sender: null }), 'u-alice', false, t)).toBe('hi');
    const left = message({ kind: 'SYSTEM', body: '', sender: null, event: { type: 'MEMBER_LEFT', title: null, role: null, actor: null, users: [] } });
    expect(messagePreview(left, 'u-bob', true, t)).toBe('Deleted account left the group');
  });

  it('describes attachments in words, with the caption, the file’s name or the sticker’s emoji', () => {
    const media = { id: 'm', mime: 'image/jpeg', bytes: 10, width: 4, height: 3, name: null, placeholder: null, url: '/u', thumbnailUrl: null };
    expect(messagePreview(message({ kind: 'IMAGE', body: '', attachments: [media] }), 'u-alice', false, t)).toBe('Photo');
    expect(messagePreview(message({ kind: 'IMAGE', body: 'At the **bay**', attachments: [media] }), 'u-alice', true, t)).toBe('Bob: Photo · At the bay');
    const file = { ...media, mime: 'application/pdf', name: 'plan.pdf' };
    expect(messagePreview(message({ kind: 'FILE', body: '', attachments: [file] }), 'u-alice', false, t)).toBe('plan.pdf');
    expect(messagePreview(message({ kind: 'FILE', body: 'see p. 2', attachments: [{ ...file, name: null }] }), 'u-alice', false, t)).toBe('File · see p. 2');
    const sticker = { id: 's', packId: 'p', emoji: '🐟', url: '/s', width: 512, height: 512 };
    expect(messagePreview(message({ kind: 'STICKER', body: '', sticker }), 'u-alice', false, t)).toBe('🐟 Sticker');
    expect(messagePreview(message({ kind: 'STICKER', body: '', sticker: null }), 'u-alice', false, t)).toBe('Sticker');
  });

  it.each([
    [{ type: 'GROUP_CREATED', title: 'Trip', users: [] }, 'Alice created the group “Trip”'],
    [{ type: 'TITLE_CHANGED', title: 'Trip 2', users: [] }, 'Alice renamed the group to “Trip 2”'],
    [{ type: 'MEMBERS_ADDED', users: [{ id: 'u-bob', displayName: 'Bob' }, carol] }, 'Alice added Bob, Carol'],
    [{ type: 'MEMBER_REMOVED', users: [carol] }, 'Alice removed Carol'],
    [{ type: 'MEMBER_LEFT', users: [] }, 'Alice left the group'],
    [{ type: 'ROLE_CHANGED', role: 'ADMIN', users: [carol] }, 'Alice made Carol an admin'],
  ] as const)('describes %j in words', (event, expected) => {
    const system = message({ kind: 'SYSTEM', body: '', sender: null, event: { title: null, role: null, actor: alice, ...event, users: [...event.users] } });
    expect(messagePreview(system, 'u-bob', true, t)).toBe(expected);
  });
});

describe('conversationTitle', () => {
  const bob = { id: 'u-bob', username: 'bob', displayName: 'Bob', online: false, lastSeenAt: null, isBlocked: false, isContact: false, avatar: null };

  it("is a group's title; a direct chat's other person's name as held now, or a deleted account without them", () => {
    expect(conversationTitle({ kind: 'DIRECT', title: 'Bob', otherUser: bob }, t)).toBe('Bob');
    expect(conversationTitle({ kind: 'DIRECT', title: 'Bob', otherUser: { ...bob, displayName: 'Robert' } }, t)).toBe('Robert');
    expect(conversationTitle({ kind: 'DIRECT', title: '', otherUser: null }, t)).toBe('Deleted account');
    expect(conversationTitle({ kind: 'GROUP', title: 'Trip', otherUser: null }, t)).toBe('Trip');
  });
});
