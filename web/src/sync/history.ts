/**
 * The one writer of messages into the Apollo cache. A message reaches this client as the
 * answer to the viewer's own send, edit or delete; as an `events` echo; in a page of history;
 * in a gap fill (`changes`, `sync`); or as a conversation's preview (its last message). It
 * leaves a history one way: deleted for the viewer alone ("delete for me", here or on another
 * device). Each source hands it to {@link writeMessages}; nothing else writes a message or a
 * history, and the views only read them. Three rules, decided by {@link admit}:
 * - a message's state: the one with the higher `updatedSeq` wins, so an answer that was on
 *   its way while a newer edit arrived cannot undo the edit;
 * - a conversation's history, when loaded: one entry per message, by seq. A page may start
 *   it and tells what is older than itself; the other sources only add to what it already
 *   spans (a message older than its oldest would leave a hole that scrolling back skips);
 * - a message deleted for the viewer leaves the history, and the replies to it quote nothing
 *   (as the server answers them now: `replyTo` null, `isReply` still true); and it never comes
 *   back: its id is kept per conversation, and every other source is refused it — an answer
 *   computed before the hide may land after it (a page on its way, an edit's event from
 *   another channel, a retried send's answer, a gap fill), and nothing later would correct it.
 * {@link watchHistory} is the matching way to read a history; {@link forgetHistory} drops one
 * with what was deleted for the viewer in it, when the conversation leaves this client.
 */
import type { ApolloCache, FieldPolicy } from '@apollo/client/core';
import { MESSAGE_FIELDS, MessagesQuery, type MessageData } from '../graphql/messenger';

/**
 * Where messages come from: only a page may start a history, and only a page knows what is
 * older. `hidden` is the other way: the ids of messages deleted for the viewer alone.
 */
export type Arrival =
  | { source: 'page'; messages: readonly MessageData[]; hasMore: boolean }
  | { source: 'mutation' | 'event' | 'changes' | 'preview'; messages: readonly MessageData[] }
  | { source: 'hidden'; messageIds: readonly string[] };

/** One of the places a message comes from (see {@link Arrival}). */
export type MessageSource = Arrival['source'];

/** A conversation's loaded history: its messages by seq, and whether older ones exist. */
export interface LoadedHistory {
  messages: readonly MessageData[];
  hasMore: boolean;
}

/** What {@link admit} decides. */
export interface Admission {
  /** The state each arriving message is to have in the cache, by id. */
  states: Map<string, MessageData>;
  /** The history to write, or null to leave it as it is. */
  history: LoadedHistory | null;
  /** The ids of the messages deleted for the viewer from now on, or null when unchanged. */
  hidden: ReadonlySet<string> | null;
}

const NONE: ReadonlySet<string> = new Set();

/** The state of a message to keep: the incoming one, unless the cached one is newer. */
function newerState(cached: MessageData | null | undefined, incoming: MessageData): MessageData {
  return cached && cached.updatedSeq > incoming.updatedSeq ? cached : incoming;
}

/**
 * Decides how arriving messages enter the cache, given the conversation's history (null when
 * none is loaded), the state cached for a message outside it, and the ids of the messages
 * deleted for the viewer there. Pure.
 */
export function admit(history: LoadedHistory | null, cachedState: (id: string) => MessageData | null, arrival: Arrival, hidden: ReadonlySet<string> = NONE): Admission {
  if (arrival.source === 'hidden') return hide(history, new Set([...hidden, ...arrival.messageIds]));
  const inHistory = new Map(history?.messages.map((m) => [m.id, m]));
  const states = new Map<string, MessageData>();
  for (const message of arrival.messages) {
    if (hidden.has(message.id)) continue;
    const cached = states.get(message.id) ?? inHistory.get(message.id) ?? cachedState(message.id);
    states.set(message.id, newerState(cached, withoutHiddenQuote(message, hidden)));
  }
  return { states, history: nextHistory(history, [...states.values()], arrival), hidden: null };
}

/** A reply to a message deleted for the viewer, as the server answers it to them now. */
function withoutHiddenQuote(message: MessageData, hidden: ReadonlySet<string>): MessageData {
  return message.replyTo && hidden.has(message.replyTo.id) ? { ...message, replyTo: null } : message;
}

/** Takes hidden messages out of the history, and their preview out of the replies to them. */
function hide(history: LoadedHistory | null, hidden: ReadonlySet<string>): Admission {
  const states = new Map<string, MessageData>();
  if (!history) return { states, history: null, hidden };
  for (const message of history.messages) {
    const quotingNothing = withoutHiddenQuote(message, hidden);
    if (quotingNothing !== message && !hidden.has(message.id)) states.set(message.id, quotingNothing);
  }
  const kept = history.messages.filter((m) => !hidden.has(m.id));
  if (kept.length === history.messages.length && states.size === 0) return { states, history: null, hidden };
  return { states, history: { messages: kept.map((m) => states.get(m.id) ?? m), hasMore: history.hasMore }, hidden };
}

function nextHistory(history: LoadedHistory | null, arrived: MessageData[], arrival: Exclude<Arrival, { source: 'hidden' }>): LoadedHistory | null {
  if (arrival.source === 'preview') return null;
  if (arrival.source === 'page') {
    if (!history) return { messages: bySeq(arrived), hasMore: arrival.hasMore };
    // `hasMore` speaks of what lies before a page: it is news only from a page reaching back as
    // far. Its reach is what the server sent, a message deleted for the viewer in it included.
    const sent = arrival.messages;
    const reachesBack = sent.length === 0 || Math.min(...sent.map((m) => m.seq)) <= oldestSeq(history);
    return { messages: union(history.messages, arrived), hasMore: reachesBack ? arrival.hasMore : history.hasMore };
  }
  if (!history) return null;
  const floor = history.hasMore ? oldestSeq(history) : -Infinity;
  const entering = arrived.filter((m) => m.seq >= floor);
  return entering.length > 0 ? { messages: union(history.messages, entering), hasMore: history.hasMore } : null;
}

function oldestSeq(history: LoadedHistory): number {
  return history.messages[0]?.seq ?? Infinity;
}

function union(messages: readonly MessageData[], arrived: readonly MessageData[]): MessageData[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  for (const message of arrived) byId.set(message.id, message);
  return bySeq([...byId.values()]);
}

function bySeq(messages: readonly MessageData[]): MessageData[] {
  return [...messages].sort((a, b) => a.seq - b.seq);
}

/**
 * The cache policy of `Query.messages`: one history per conversation, whatever page was
 * asked for, and kept as written, since {@link writeMessages} hands it over whole.
 */
export const historyField: FieldPolicy = { keyArgs: ['conversationId'], merge: false };

/**
 * Per cache, per conversation: the ids of the messages deleted for the viewer that this client
 * has heard of (the mutation's answer, MessageHiddenEvent, `changes` and `sync`). Beside the
 * cache rather than in it, as they must hold while no history is loaded (a first page may be on
 * its way). As many as the person deleted while signed in here; dropped with the conversation
 * ({@link forgetHistory}) and with everything else when the cache is cleared ({@link forgetHistories}).
 */
const hiddenByCache = new WeakMap<ApolloCache<unknown>, Map<string, ReadonlySet<string>>>();

function hiddenIn(cache: ApolloCache<unknown>): Map<string, ReadonlySet<string>> {
  let hidden = hiddenByCache.get(cache);
  if (!hidden) hiddenByCache.set(cache, (hidden = new Map()));
  return hidden;
}

/**
 * Puts arriving messages into the cache as {@link admit} decides, in one broadcast.
 * Returns the state each message has in the cache now, by id.
 */
export function writeMessages(cache: ApolloCache<unknown>, conversationId: string, arrival: Arrival): ReadonlyMap<string, MessageData> {
  const messageId = (id: string) => cache.identify({ __typename: 'Message', id });
  const history = cache.readQuery({ query: MessagesQuery, variables: { conversationId } })?.messages ?? null;
  const cachedState = (id: string) => cache.readFragment({ id: messageId(id), fragment: MESSAGE_FIELDS, fragmentName: 'MessageFields' });
  const { states, history: next, hidden } = admit(history, cachedState, arrival, hiddenIn(cache).get(conversationId));
  if (hidden) hiddenIn(cache).set(conversationId, hidden);
  cache.batch({
    update(writer) {
      for (const [id, state] of states) writer.writeFragment({ id: messageId(id), fragment: MESSAGE_FIELDS, fragmentName: 'MessageFields', data: state });
      if (!next) return;
      const page = { __typename: 'MessagePage', messages: [...next.messages], hasMore: next.hasMore };
      writer.writeQuery({ query: MessagesQuery, variables: { conversationId }, data: { messages: page } });
    },
  });
  return states;
}

/**
 * Drops a conversation's history, and what was deleted for the viewer in it, when the
 * conversation leaves this client (deleted for them, deleted for everyone, left).
 */
export function forgetHistory(cache: ApolloCache<unknown>, conversationId: string): void {
  hiddenIn(cache).delete(conversationId);
  cache.evict({ id: 'ROOT_QUERY', fieldName: 'messages', args: { conversationId } });
}

/**
 * Drops what was deleted for the viewer in every conversation, as the cache is cleared (on
 * signing out): the next person signed in here may well see those messages.
 */
export function forgetHistories(cache: ApolloCache<unknown>): void {
  hiddenByCache.delete(cache);
}

/**
 * Calls `onChange` with a conversation's history as the cache holds it (null while none is
 * loaded): at once, then after each write that changes it, before the write returns. (A
 * query watching the cache hears of a write only a tick later, when a caller that awaited a
 * page, to keep the reader's place, has already looked.) Returns the function that stops it.
 */
export function watchHistory(cache: ApolloCache<unknown>, conversationId: string, onChange: (history: LoadedHistory | null) => void): () => void {
  return cache.watch({
    query: MessagesQuery,
    variables: { conversationId },
    optimistic: true,
    immediate: true,
    callback: (diff) => onChange(diff.complete && diff.result ? diff.result.messages : null),
  });
}
