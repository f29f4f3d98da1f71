/**
 * Starts the realtime side for a signed-in user: one `events` subscription feeding the
 * sync engine, which writes into the Apollo cache; after a reconnect, and when the server
 * says events may have been missed (SyncRequiredEvent), one `sync`, then the list and the
 * people on screen read again. Nothing fetched here is
 * written by Apollo itself (`no-cache`): the engine decides what is applied, and the store
 * (sync/history.ts for messages) how.
 */
import type { ApolloClient, NormalizedCacheObject } from '@apollo/client/core';
import {
  ChangesQuery,
  ConversationQuery,
  ConversationsQuery,
  EventsSubscription,
  SyncQuery,
  type MessageData,
} from '../graphql/messenger';
import { onReconnected } from '../plugins/apollo';
import { apolloStore } from './apolloStore';
import { SyncEngine, type SyncTransport } from './engine';
import { typingStopped } from './typing';

/** The queries that show conversations or people, by operation name. */
const RELOADED_AFTER_CATCH_UP = new Set(['Conversations', 'Conversation', 'Me', 'MyCard', 'Contacts', 'BlockedUsers']);

export interface Realtime {
  engine: SyncEngine;
  stop(): void;
}

export function startRealtime(
  client: ApolloClient<NormalizedCacheObject>,
  viewerId: string,
  onIncoming: (conversationId: string, message: MessageData) => void,
): Realtime {
  const transport: SyncTransport = {
    async changes(conversationId, afterSeq, hiddenAfter) {
      const { data } = await client.query({ query: ChangesQuery, variables: { conversationId, afterSeq, hiddenAfter }, fetchPolicy: 'no-cache' });
      return data.changes;
    },
    async sync(cursors) {
      const { data } = await client.query({ query: SyncQuery, variables: { cursors }, fetchPolicy: 'no-cache' });
      return data.sync;
    },
    async conversation(conversationId) {
      const result = await client.query({ query: ConversationQuery, variables: { id: conversationId }, fetchPolicy: 'no-cache', errorPolicy: 'all' });
      return result.data?.conversation ?? null;
    },
  };
  const engine = new SyncEngine(transport, apolloStore(client, () => viewerId, onIncoming), viewerId);
  // After a catch-up, the list (order, previews, unread counts) as the server has it, and the
  // people shown (names and pictures: missed ProfileChangedEvents are not replayed). Only those
  // of these queries that are on screen are asked again.
  const reloadShown = () => client.refetchQueries({ include: 'active', onQueryUpdated: (query) => RELOADED_AFTER_CATCH_UP.has(query.queryName ?? '') });

  // Cursors start from the conversation list as loaded (and as reloaded after a catch-up).
  const list = client.watchQuery({ query: ConversationsQuery, fetchPolicy: 'cache-and-network' }).subscribe({
    next: ({ data }) => data && engine.seed(data.conversations.nodes),
  });
  const events = client.subscribe({ query: EventsSubscription, fetchPolicy: 'no-cache' }).subscribe({
    next: ({ data }) => {
      if (!data) return;
      const event = data.events;
      if (event.__typename === 'MessageAddedEvent' && event.message.sender) typingStopped(event.conversationId, event.message.sender.id);
      const handled = engine.handle(event);
      if (event.__typename === 'SyncRequiredEvent') void handled.then(reloadShown);
    },
  });
  const stopReconnect = onReconnected(() => {
    void engine.resync().then(reloadShown);
  });
  return {
    engine,
    stop() {
      events.unsubscribe();
      list.unsubscribe();
      stopReconnect();
    },
  };
}
