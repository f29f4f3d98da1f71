/**
 * The open conversation's history as rows for the virtual list: day separators, SYSTEM
 * lines and bubbles grouped by sender, with pending and failed sends at the end. Pure
 * helpers, unit-tested without mounting.
 */
import type { MessageData, UserSummary } from '../graphql/messenger';
import type { OutgoingMessage } from './useOutbox';
import { receiptStatus, type ReceiptStatus } from './useReceipts';
import { formatShortDate, formatTime } from '../utils/time';

/** Consecutive messages of one sender within this span show the sender's name once. */
export const GROUP_WINDOW_MS = 5 * 60 * 1000;

export type HistoryRow =
  | { kind: 'day'; key: string; date: string }
  | { kind: 'system'; key: string; seq: number; message: MessageData }
  | {
      kind: 'message';
      key: string;
      /** null while the message is still in the outbox. */
      seq: number | null;
      message: MessageData | null;
      outgoing: OutgoingMessage | null;
      own: boolean;
      /** The first of a run by one sender: shows the name. */
      first: boolean;
      /** Receipt, on own messages only. */
      status: ReceiptStatus | null;
    };

/** The local calendar day of an ISO time, as YYYY-MM-DD. */
export function dayOf(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

interface RowOptions {
  viewerId: string | null;
  /** The highest read cursor among the other members. */
  othersReadSeq: number;
}

/** Builds the rows of the history: messages by seq, then the outbox (minus what the server already has). */
export function buildRows(messages: readonly MessageData[], outgoing: readonly OutgoingMessage[], { viewerId, othersReadSeq }: RowOptions): HistoryRow[] {
  const rows: HistoryRow[] = [];
  let day = '';
  let previous: { senderId: string | null; at: number } | null = null;
  const stored = new Set(messages.map((m) => m.clientMsgId).filter(Boolean));

  function startDay(createdAt: string) {
    const next = dayOf(createdAt);
    if (next === day) return;
    day = next;
    previous = null;
    rows.push({ kind: 'day', key: `day-${next}`, date: createdAt });
  }
  function isFirst(senderId: string | null, createdAt: string): boolean {
    const at = Date.parse(createdAt);
    const first = !previous || previous.senderId !== senderId || at - previous.at > GROUP_WINDOW_MS;
    previous = { senderId, at };
    return first;
  }

  for (const message of messages) {
    startDay(message.createdAt);
    if (message.kind === 'SYSTEM') {
      previous = null;
      rows.push({ kind: 'system', key: message.id, seq: message.seq, message });
      continue;
    }
    const senderId = message.sender?.id ?? null;
    const own = viewerId !== null && senderId === viewerId;
    rows.push({
      kind: 'message',
      key: message.id,
      seq: message.seq,
      message,
      outgoing: null,
      own,
      first: isFirst(senderId, message.createdAt),
      status: own && !message.deleted ? receiptStatus(message.seq, othersReadSeq) : null,
    });
  }
  for (const item of outgoing) {
    if (stored.has(item.clientMsgId)) continue;
    startDay(item.createdAt);
    rows.push({ kind: 'message', key: item.clientMsgId, seq: null, message: null, outgoing: item, own: true, first: isFirst(viewerId, item.createdAt), status: item.status });
  }
  return rows;
}

/** The first message from someone else after the viewer's read cursor, if any. */
export function firstUnreadSeq(messages: readonly MessageData[], lastReadSeq: number, viewerId: string | null): number | null {
  const unread = messages.find((m) => m.seq > lastReadSeq && m.kind !== 'SYSTEM' && m.sender?.id !== viewerId);
  return unread ? unread.seq : null;
}

/** What a history row's menu may offer (components/conversation/MessageMenu.vue). */
export type MessageAction = 'reply' | 'edit' | 'delete';

/**
 * What the menu of a message offers the viewer. Delete is for oneself at least (for everyone
 * too on one's own, or for a group's admins): a tombstone (deleted for everyone) and a SYSTEM
 * line offer only that, as Telegram and Element let one clear them from one's view. A group
 * the viewer was removed from is read-only; a send still in the outbox (null) has no menu.
 */
export function messageActions(message: MessageData | null, { own, readOnly }: { own: boolean; readOnly: boolean }): MessageAction[] {
  // A group one was removed from is read-only: no composer to reply or edit in, nothing the server takes.
  if (!message || readOnly) return [];
  const deletable: MessageAction[] = ['delete'];
  if (message.deleted || message.kind === 'SYSTEM') return deletable;
  // Text, and a photo's or a file's caption.
  const editable = own && (message.kind === 'TEXT' || message.kind === 'IMAGE' || message.kind === 'FILE');
  return ['reply', ...(editable ? (['edit'] as const) : []), ...deletable];
}

/** An i18n key with its parameters. */
export interface Phrase {
  key: string;
  params: Record<string, string | number>;
}

/** Names joined as the language joins a list ("Bob, Carol and Dmitry"). */
export function joinNames(names: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(names);
}

/** What a SYSTEM message says, in words ("Alice added Bob"). */
export function describeSystem(message: MessageData, locale: string, someone: string): Phrase {
  const event = message.event;
  const actor = event?.actor?.displayName ?? message.sender?.displayName ?? someone;
  const users = joinNames(event?.users.map((u) => u.displayName) ?? [], locale) || actor;
  const title = event?.title ?? '';
  switch (event?.type) {
    case 'GROUP_CREATED':
      return { key: 'conversation.system.created', params: { actor, title } };
    case 'MEMBERS_ADDED':
      return { key: 'conversation.system.added', params: { actor, users } };
    case 'MEMBER_REMOVED':
      return { key: 'conversation.system.removed', params: { actor, users } };
    case 'TITLE_CHANGED':
      return { key: 'conversation.system.renamed', params: { actor, title } };
    case 'AVATAR_CHANGED':
      return { key: 'media.avatarChanged', params: { actor } };
    case 'ROLE_CHANGED': {
      const key = event.role === 'OWNER' ? 'madeOwner' : event.role === 'ADMIN' ? 'madeAdmin' : 'madeMember';
      return { key: `conversation.system.${key}`, params: { actor, users } };
    }
    default:
      return { key: 'conversation.system.left', params: { users } };
  }
}

/** The header's line about the other person: online, last seen, or nothing when they hide it. */
export function describePresence(user: Pick<UserSummary, 'online' | 'lastSeenAt'> | null, locale: string, now = Date.now()): Phrase | null {
  if (!user) return null;
  if (user.online) return { key: 'conversation.online', params: {} };
  if (!user.lastSeenAt) return null;
  const seen = new Date(user.lastSeenAt);
  if (now - seen.getTime() < 60_000) return { key: 'conversation.lastSeenJustNow', params: {} };
  const time = formatTime(seen, locale);
  if (dayOf(seen.toISOString()) === dayOf(new Date(now).toISOString())) return { key: 'conversation.lastSeenToday', params: { time } };
  return { key: 'conversation.lastSeenOn', params: { date: formatShortDate(seen, locale), time } };
}

/** "Alice is typing…", "Alice and Bob are typing…", "3 people are typing…". */
export function describeTyping(names: readonly string[]): Phrase | null {
  if (names.length === 0) return null;
  if (names.length === 1) return { key: 'conversation.typingOne', params: { name: names[0]! } };
  if (names.length === 2) return { key: 'conversation.typingTwo', params: { first: names[0]!, second: names[1]! } };
  return { key: 'conversation.typingMany', params: { n: names.length } };
}
