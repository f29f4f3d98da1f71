/** Pure helpers of the conversation list: avatars, times and last-message previews. */
import MarkdownIt, { type Token } from 'markdown-it';
import type { MessageData } from '../../graphql/messenger';
import { formatShortDate, formatTime } from '../../utils/time';

/** Looks up a message by key and fills in its named values (vue-i18n's `t`). */
export type Translate = (key: string, named?: Record<string, unknown>) => string;

/**
 * Up to two letters for an avatar: the first letters of the first two words of `name`,
 * else of `fallback` (a user name). Counts characters, not UTF-16 units, so emoji stay whole.
 */
export function initials(name: string, fallback = ''): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return Array.from(fallback).slice(0, 2).join('').toUpperCase() || '?';
  return words
    .slice(0, 2)
    .map((word) => Array.from(word)[0])
    .join('')
    .toUpperCase();
}

/** Material 700 shades: each keeps white initials above 4.5:1 contrast. */
const AVATAR_COLORS = ['#D32F2F', '#C2185B', '#7B1FA2', '#512DA8', '#303F9F', '#1976D2', '#0277BD', '#00796B', '#2E7D32', '#BF360C', '#5D4037', '#455A64'];

/** The avatar colour of a user or conversation: the same id always gets the same colour. */
export function avatarColor(id: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return AVATAR_COLORS[(hash >>> 0) % AVATAR_COLORS.length]!;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/**
 * When a conversation was last active, as short as is unambiguous: the time today (utils/time.ts), the
 * weekday within the last six days, else the date (with the year when not this year).
 */
export function formatActivityTime(iso: string, locale: string, now: Date = new Date()): string {
  const date = new Date(iso);
  const daysAgo = Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
  if (daysAgo <= 0) return formatTime(date, locale);
  if (daysAgo < 7) return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(date);
  if (date.getFullYear() === now.getFullYear()) return formatShortDate(date, locale);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short' }).format(date);
}

const markdown = new MarkdownIt({ html: false, linkify: false });

function inlineText(tokens: readonly Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === 'text' || token.type === 'code_inline') return token.content;
      if (token.type === 'softbreak' || token.type === 'hardbreak') return ' ';
      if (token.type === 'image') return inlineText(token.children ?? []);
      return '';
    })
    .join('');
}

/** The words of a Markdown text without its markup, on one line (for a preview). */
export function plainText(source: string): string {
  const parts = markdown.parse(source, {}).map((token) => {
    if (token.type === 'inline') return inlineText(token.children ?? []);
    if (token.type === 'fence' || token.type === 'code_block') return token.content;
    return '';
  });
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

/** A SYSTEM message in words: "Alice renamed the group to “Trip”". */
export function systemEventText(event: NonNullable<MessageData['event']>, t: Translate): string {
  // Only a deleted account leaves a change without its author.
  const actor = event.actor?.displayName ?? t('list.deletedAccount');
  const users = event.users.map((user) => user.displayName).join(', ');
  switch (event.type) {
    case 'GROUP_CREATED':
      return t('list.system.created', { actor, title: event.title ?? '' });
    case 'MEMBERS_ADDED':
      return t('list.system.added', { actor, users });
    case 'MEMBER_REMOVED':
      return t('list.system.removed', { actor, users });
    case 'MEMBER_LEFT':
      return t('list.system.left', { actor });
    case 'ROLE_CHANGED':
      return t('list.system.roleChanged', { actor, users, role: t(`list.role.${event.role ?? 'MEMBER'}`) });
    case 'TITLE_CHANGED':
      return t('list.system.renamed', { actor, title: event.title ?? '' });
    case 'AVATAR_CHANGED':
      return t('media.avatarChanged', { actor });
  }
}

/**
 * Who the preview names as the sender: "You" for the viewer, the name in a group (a message
 * without a sender is from a deleted account), nobody in a direct chat.
 */
function senderLabel(message: MessageData, viewerId: string | null, group: boolean, t: Translate): string | null {
  if (!message.sender) return group ? t('list.deletedAccount') : null;
  if (message.sender.id === viewerId) return t('list.preview.you');
  return group ? message.sender.displayName : null;
}

/** A photo, file or sticker message in words: "Photo · caption", the file's name, "🐟 Sticker". */
function attachmentText(message: MessageData, t: Translate): string {
  const label = message.kind === 'FILE' ? (message.attachments[0]?.name ?? t('list.preview.FILE')) : t(`list.preview.${message.kind}`);
  if (message.kind === 'STICKER') return message.sticker ? `${message.sticker.emoji} ${label}` : label;
  const caption = plainText(message.body);
  return caption ? t('list.preview.captioned', { label, text: caption }) : label;
}

/** The last message of a conversation as one line of the list. */
export function messagePreview(message: MessageData | null, viewerId: string | null, group: boolean, t: Translate): string {
  if (!message) return t('list.preview.empty');
  if (message.deleted) return t('list.preview.deleted');
  if (message.kind === 'SYSTEM') return message.event ? systemEventText(message.event, t) : plainText(message.body);
  const text = message.kind === 'TEXT' ? plainText(message.body) : attachmentText(message, t);
  const sender = senderLabel(message, viewerId, group, t);
  return sender ? t('list.preview.withSender', { sender, text }) : text;
}
