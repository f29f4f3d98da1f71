import { describe, expect, it } from 'vitest';
import type { ApolloCache } from '@apollo/client/core';
import { MessagesQuery, MESSAGE_FIELDS, type MessageData } from '../graphql/messenger';
import type { Client } from 'graphql-ws';
import { createApolloClient, createCache } from '../plugins/apollo';
import { admit, forgetHistory, watchHistory, writeMessages, type Arrival, type LoadedHistory } from './history';

/** Message `seq` of conversation c, in the state its change `updatedSeq` left it. */
const message = (seq: number, updatedSeq = seq, body = `m${seq}`): MessageData => ({
  id: `c-${seq}`,
  conversationId: 'c',
  seq,
  updatedSeq,
  kind: 'TEXT',
  body,
  edited: updatedSeq !== seq,
  deleted: false,
  clientMsgId: null,
  createdAt: new Date(0).toISOString(),
  sender: { id: 'me', displayName: 'Me', username: 'me' },
  replyTo: null,
  isReply: false,
  event: null,
  attachments: [],
  sticker: null,
});
const history = (messages: MessageData[], hasMore = false): LoadedHistory => ({ messages, hasMore });
const nothingElseCached = () => null;
const seqs = (h: LoadedHistory | null) => h?.messages.map((m) => m.seq);
const bodies = (h: LoadedHistory | null) => h?.messages.map((m) => m.body);

/** Applies arrivals one after another to a history, as the cache would. */
function replay(start: LoadedHistory | null, ...arrivals: Arrival[]): LoadedHistory | null {
  let current = start;
  for (const arrival of arrivals) current = admit(current, nothingElseCached, arrival).history ?? current;
  return current;
}

describe('admit', () => {
  it('keeps one copy of an own message, whether its answer or its echo comes first', () => {
    const sent: Arrival = { source: 'mutation', messages: [message(2)] };
    const echo: Arrival = { source: 'event', messages: [message(2)] };
    expect(seqs(replay(history([message(1)]), sent, echo))).toEqual([1, 2]);
    expect(seqs(replay(history([message(1)]), echo, sent))).toEqual([1, 2]);
  });

  it('keeps an edit that arrived between the echo and the late answer to the send', () => {
    const after = replay(
      history([message(1)]),
      { source: 'event', messages: [message(2)] },
      { source: 'event', messages: [message(2, 3, 'edited')] },
      { source: 'mutation', messages: [message(2)] },
    );
    expect(bodies(after)).toEqual(['m1', 'edited']);
  });

  it('merges a page overlapping the cached history by seq, keeping the newer state of each message', () => {
    const cached = history([message(3), message(4, 6, 'edited'), message(5)], true);
    const page: Arrival = { source: 'page', messages: [message(1), message(2), message(3), message(4)], hasMore: false };
    const { history: after } = admit(cached, nothingElseCached, page);
    expect(seqs(after)).toEqual([1, 2, 3, 4, 5]);
    expect(bodies(after)).toContain('edited');
    // The page reached past the oldest cached message: it tells what lies before.
    expect(after?.hasMore).toBe(false);
  });

  it('lets only a page reaching back as far as the history tell what lies before it', () => {
    // Scrolled back to the start, then the conversation opens again: the newest page has more before it, but not news.
    const scrolled = history([message(1), message(2), message(3)], false);
    const newest = admit(scrolled, nothingElseCached, { source: 'page', messages: [message(3), message(4)], hasMore: true });
    expect(newest.history).toEqual(history([message(1), message(2), message(3), message(4)], false));
  });

  it('starts a history only from a page', () => {
    expect(admit(null, nothingElseCached, { source: 'event', messages: [message(1)] }).history).toBeNull();
    expect(admit(null, nothingElseCached, { source: 'changes', messages: [message(1)] }).history).toBeNull();
    expect(admit(null, nothingElseCached, { source: 'page', messages: [message(2), message(1)], hasMore: true }).history).toEqual(
      history([message(1), message(2)], true),
    );
  });

  it('applies a gap fill with an edit of a cached message in place, the new messages after it', () => {
    const cached = history([message(1), message(2), message(3)]);
    const fill: Arrival = { source: 'changes', messages: [message(2, 4, 'edited'), message(5)] };
    const { history: after } = admit(cached, nothingElseCached, fill);
    expect(seqs(after)).toEqual([1, 2, 3, 5]);
    expect(bodies(after)).toEqual(['m1', 'edited', 'm3', 'm5']);
  });

  it('keeps an edit of a message older than the loaded history out of it, but takes its state', () => {
    const cached = history([message(10), message(11)], true);
    const { history: after, states } = admit(cached, nothingElseCached, { source: 'changes', messages: [message(3, 12, 'edited')] });
    // In the history it would leave a hole (4–9) that scrolling back skips.
    expect(after).toBeNull();
    expect(states.get('c-3')?.body).toBe('edited');
  });

  it('never lets an older state overwrite a newer one, from any source', () => {
    const cached = history([message(1), message(2, 5, 'edited')], true);
    const stale = message(2);
    for (const arrival of [
      { source: 'page', messages: [message(1), stale], hasMore: false },
      { source: 'event', messages: [stale] },
      { source: 'changes', messages: [stale] },
      { source: 'mutation', messages: [stale] },
    ] satisfies Arrival[]) {
      const { history: after, states } = admit(cached, nothingElseCached, arrival);
      expect(states.get('c-2')?.body).toBe('edited');
      expect(bodies(after ?? cached)).toEqual(['m1', 'edited']);
    }
    // Also outside any history (a preview), against the state the cache holds.
    const { states } = admit(null, (id) => (id === 'c-2' ? message(2, 5, 'edited') : null), { source: 'preview', messages: [stale] });
    expect(states.get('c-2')?.body).toBe('edited');
  });

  it('takes the newest of several states of one message in one arrival, whatever their order', () => {
    const { history: after } = admit(history([message(1)]), nothingElseCached, { source: 'changes', messages: [message(1, 3, 'second'), message(1, 2, 'first')] });
    expect(bodies(after)).toEqual(['second']);
  });

  it('takes a message deleted for the viewer out of the history, and its preview out of the replies to it', () => {
    const target = message(2);
    const reply = { ...message(3), isReply: true, replyTo: { id: target.id, seq: 2, kind: 'TEXT', body: 'm2', deleted: false, sender: null } } as MessageData;
    const cached = history([message(1), target, reply, message(4)], true);
    const { history: after, states } = admit(cached, nothingElseCached, { source: 'hidden', messageIds: [target.id, message(4).id] });
    expect(seqs(after)).toEqual([1, 3]);
    expect(after?.hasMore).toBe(true);
    // The reply stays, quoting nothing now: as the server answers it to this viewer.
    expect(states.get(reply.id)).toMatchObject({ replyTo: null, isReply: true, body: 'm3' });
    expect(after?.messages[1]).toBe(states.get(reply.id));
    // Again, or for a message it does not hold, or with no history loaded: nothing to write.
    expect(admit(after, nothingElseCached, { source: 'hidden', messageIds: [target.id] })).toMatchObject({ states: new Map(), history: null });
    expect(admit(null, nothingElseCached, { source: 'hidden', messageIds: [target.id] }).history).toBeNull();
  });

  it('keeps a message deleted for the viewer out, whatever was on its way when it went', () => {
    const target = message(2);
    const hidden = new Set([target.id]);
    const cached = history([message(1), message(3)], true);
    const stale = [
      // An edit's event, computed before the hide committed (it travels on another channel).
      { source: 'event', messages: [message(2, 4, 'edited')] },
      // A page asked for before the hide, answered after it.
      { source: 'page', messages: [message(1), target, message(3)], hasMore: false },
      // A retried send's answer: the server returns the message it stored the first time.
      { source: 'mutation', messages: [target] },
      // A gap fill computed before the hide.
      { source: 'changes', messages: [target, message(4)] },
    ] satisfies Arrival[];
    for (const arrival of stale) {
      const { history: after, states } = admit(cached, nothingElseCached, arrival, hidden);
      expect(seqs(after ?? cached), arrival.source).not.toContain(2);
      expect(states.has(target.id), arrival.source).toBe(false);
    }
    // Nor does a page start a history with it, nor a preview point at it.
    expect(seqs(admit(null, nothingElseCached, { source: 'page', messages: [target, message(3)], hasMore: true }, hidden).history)).toEqual([3]);
    expect(admit(null, nothingElseCached, { source: 'preview', messages: [target] }, hidden).states.size).toBe(0);
    // What the page tells of older messages still counts: it reached back past the one it lost.
    expect(admit(history([message(3)], true), nothingElseCached, { source: 'page', messages: [target], hasMore: false }, hidden).history?.hasMore).toBe(false);
  });

  it('lets a late reply to a message deleted for the viewer in, quoting nothing', () => {
    const quoted = { id: 'c-2', seq: 2, kind: 'TEXT', body: 'm2', deleted: false, sender: null } as MessageData['replyTo'];
    const reply = { ...message(3), isReply: true, replyTo: quoted };
    const { history: after } = admit(history([message(1)]), nothingElseCached, { source: 'event', messages: [reply] }, new Set(['c-2']));
    expect(after?.messages[1]).toMatchObject({ seq: 3, replyTo: null, isReply: true });
  });

  it('tells which messages are deleted for the viewer from now on, a history loaded or not', () => {
    expect(admit(null, nothingElseCached, { source: 'hidden', messageIds: ['c-2'] }, new Set(['c-1'])).hidden).toEqual(new Set(['c-1', 'c-2']));
    expect(admit(history([message(1)]), nothingElseCached, { source: 'event', messages: [message(2)] }, new Set(['c-1'])).hidden).toBeNull();
  });

  it('leaves the history alone for a preview', () => {
    expect(admit(history([message(1)]), nothingElseCached, { source: 'preview', messages: [message(2)] }).history).toBeNull();
  });
});

describe('writeMessages, on the app cache', () => {
  // What Apollo's own answers carry, and the cache needs to normalize them.
  const typed = (m: MessageData): MessageData => ({ ...m, __typename: 'Message' }) as MessageData;
  const read = (cache: ApolloCache<unknown>) => cache.readQuery({ query: MessagesQuery, variables: { conversationId: 'c' } })?.messages;

  it('keeps the history and every message in their newest state, whatever arrives late', () => {
    const cache = createCache();
    writeMessages(cache, 'c', { source: 'event', messages: [typed(message(3))] });
    expect(read(cache)).toBeUndefined();

    writeMessages(cache, 'c', { source: 'page', messages: [message(2), message(3)].map(typed), hasMore: true });
    writeMessages(cache, 'c', { source: 'event', messages: [typed(message(3, 4, 'edited'))] });
    // A page asked for before the edit, answered after it; then an older page.
    writeMessages(cache, 'c', { source: 'page', messages: [message(2), message(3)].map(typed), hasMore: true });
    writeMessages(cache, 'c', { source: 'page', messages: [typed(message(1))], hasMore: false });

    expect(read(cache)?.messages.map((m) => m.body)).toEqual(['m1', 'm2', 'edited']);
    expect(read(cache)?.hasMore).toBe(false);
    const state = cache.readFragment({ id: 'Message:c-3', fragment: MESSAGE_FIELDS, fragmentName: 'MessageFields' });
    expect(state?.updatedSeq).toBe(4);
  });

  it('shows a write to whoever watches the history before the write returns', () => {
    const cache = createCache();
    const seen: (LoadedHistory | null)[] = [];
    const stop = watchHistory(cache, 'c', (history) => seen.push(history));
    writeMessages(cache, 'c', { source: 'page', messages: [typed(message(2))], hasMore: true });
    writeMessages(cache, 'c', { source: 'page', messages: [typed(message(1))], hasMore: false });
    stop();
    writeMessages(cache, 'c', { source: 'event', messages: [typed(message(3))] });
    expect(seen.map((history) => history && [seqs(history), history.hasMore])).toEqual([null, [[2], true], [[1, 2], false]]);
  });

  it('takes a hidden message out of the cached history at once, for whoever watches it', () => {
    const cache = createCache();
    writeMessages(cache, 'c', { source: 'page', messages: [message(1), message(2), message(3)].map(typed), hasMore: false });
    const seen: (number[] | undefined)[] = [];
    const stop = watchHistory(cache, 'c', (history) => seen.push(seqs(history)));
    writeMessages(cache, 'c', { source: 'hidden', messageIds: ['c-2'] });
    stop();
    expect(seen).toEqual([[1, 2, 3], [1, 3]]);
    expect(read(cache)?.messages.map((m) => m.seq)).toEqual([1, 3]);
  });

  it('keeps a message deleted for the viewer out of the history for good, though no history was loaded when it went', () => {
    const cache = createCache();
    writeMessages(cache, 'c', { source: 'hidden', messageIds: ['c-2'] });
    // The page asked for when the conversation opened, answered after the hide.
    writeMessages(cache, 'c', { source: 'page', messages: [message(1), message(2)].map(typed), hasMore: false });
    writeMessages(cache, 'c', { source: 'mutation', messages: [typed(message(2))] });
    writeMessages(cache, 'c', { source: 'event', messages: [typed(message(2, 3, 'edited'))] });
    writeMessages(cache, 'c', { source: 'changes', messages: [typed(message(2, 3, 'edited'))] });
    expect(read(cache)?.messages.map((m) => m.seq)).toEqual([1]);
    // In another conversation, an id means nothing.
    writeMessages(cache, 'd', { source: 'page', messages: [{ ...typed(message(2)), conversationId: 'd' }], hasMore: false });
    expect(cache.readQuery({ query: MessagesQuery, variables: { conversationId: 'd' } })?.messages.messages).toHaveLength(1);
  });

  it('forgets what was deleted for the viewer with the conversation, and all of it when the cache is cleared (signing out)', async () => {
    const client = createApolloClient({ getToken: () => null, onSessionRejected: () => {} }, {} as Client);
    const page: Arrival = { source: 'page', messages: [message(1), message(2)].map(typed), hasMore: false };
    writeMessages(client.cache, 'c', { source: 'hidden', messageIds: ['c-2'] });
    forgetHistory(client.cache, 'c');
    expect(client.cache.readQuery({ query: MessagesQuery, variables: { conversationId: 'c' } })).toBeNull();
    // Back in the list later (someone wrote again): what the server answers now is what it shows.
    writeMessages(client.cache, 'c', page);
    expect(read(client.cache)?.messages.map((m) => m.seq)).toEqual([1, 2]);

    writeMessages(client.cache, 'c', { source: 'hidden', messageIds: ['c-2'] });
    await client.clearStore();
    // Someone else signs in here, a member who sees that message.
    writeMessages(client.cache, 'c', page);
    expect(read(client.cache)?.messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('answers with the state the cache keeps, for a preview to point at', () => {
    const cache = createCache();
    writeMessages(cache, 'c', { source: 'event', messages: [typed(message(3, 4, 'edited'))] });
    const states = writeMessages(cache, 'c', { source: 'preview', messages: [typed(message(3))] });
    expect(states.get('c-3')?.body).toBe('edited');
  });
});
