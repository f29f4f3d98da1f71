/**
 * The sync engine's store: the Apollo cache. Messages are normalized (Message:id), so a
 * write of a changed message updates it wherever it shows; messages and histories are
 * written by sync/history.ts alone.
 */
import type { ApolloClient, NormalizedCacheObject, Reference } from '@apollo/client/core';
import { ConversationQuery, PUBLIC_PROFILE, type ConversationData, type MemberData, type MessageData } from '../graphql/messenger';
import type { SyncStore } from './engine';
import { forgetHistory, writeMessages } from './history';
import { typingNow } from './typing';

export function apolloStore(client: ApolloClient<NormalizedCacheObject>, viewerId: () => string | null, onIncoming: (conversationId: string, message: MessageData) => void): SyncStore {
  const { cache } = client;
  const conversationRef = (id: string) => cache.identify({ __typename: 'Conversation', id });

  function ensureListed(conversation: ConversationData) {
    cache.modify({
      id: 'ROOT_QUERY',
      fields: {
        conversations(value, { toReference, readField }) {
          const existing = value as { nodes: Reference[] } | undefined;
          if (!existing) return value;
          if (existing.nodes.some((ref) => readField('id', ref) === conversation.id)) return existing;
          const ref = toReference({ __typename: 'Conversation', id: conversation.id });
          return ref ? { ...existing, nodes: [ref, ...existing.nodes] } : existing;
        },
      },
    });
  }

  return {
    putConversation(conversation) {
      const preview = conversation.lastMessage;
      // The preview is a message like any other: an older state of it must not undo a newer edit.
      const lastMessage = preview ? writeMessages(cache, conversation.id, { source: 'preview', messages: [preview] }).get(preview.id) : undefined;
      cache.writeQuery({ query: ConversationQuery, variables: { id: conversation.id }, data: { conversation: { ...conversation, lastMessage: lastMessage ?? null } } });
      ensureListed(conversation);
    },
    putMessages(conversationId, messages, source) {
      if (messages.length > 0) writeMessages(cache, conversationId, { source, messages });
    },
    messageAdded(conversationId, message, seq) {
      const mine = message.sender?.id === viewerId();
      cache.modify({
        id: conversationRef(conversationId),
        fields: {
          seq: (current: number) => Math.max(current, seq),
          // Not the event's copy: putMessages has just written the message, and the cache may hold a newer state of it.
          lastMessage: (_, { toReference }) => toReference({ __typename: 'Message', id: message.id }) ?? null,
          lastActivityAt: () => message.createdAt,
          unreadCount: (count: number) => (mine || message.kind === 'SYSTEM' ? count : count + 1),
        },
      });
      if (!mine && message.kind !== 'SYSTEM') onIncoming(conversationId, message);
    },
    removeConversation(conversationId) {
      const id = conversationRef(conversationId);
      // Out of the list, not only out of the cache: a late answer that names the conversation
      // (its query, a mark-read) writes it again, and an evicted entry still listed would show
      // again. Only putConversation lists it anew, which the engine does not do for a removed one.
      cache.modify({
        id: 'ROOT_QUERY',
        fields: {
          conversations(value) {
            const existing = value as { nodes: Reference[] } | undefined;
            return existing ? { ...existing, nodes: existing.nodes.filter((ref) => ref.__ref !== id) } : value;
          },
        },
      });
      if (id) cache.evict({ id });
      forgetHistory(cache, conversationId);
      cache.gc();
    },
    hideMessages(conversationId, messageIds) {
      writeMessages(cache, conversationId, { source: 'hidden', messageIds });
    },
    readReceipt(conversationId, userId, lastReadSeq) {
      cache.modify({
        id: conversationRef(conversationId),
        fields: {
          members: (value, { readField }) =>
            (value as readonly MemberData[]).map((member) => {
              const user = member.user as unknown as Reference;
              return readField('id', user) === userId ? { ...member, lastReadSeq: Math.max(member.lastReadSeq, lastReadSeq) } : member;
            }),
        },
      });
    },
    presence(userId, online, lastSeenAt) {
      cache.modify({
        id: cache.identify({ __typename: 'User', id: userId }),
        fields: { online: () => online, lastSeenAt: (current: string | null) => lastSeenAt ?? current },
      });
    },
    profile(user) {
      // Users are normalized (User:id): lists, headers, members and senders follow.
      cache.writeFragment({ fragment: PUBLIC_PROFILE, data: user });
      // The viewer's own account (Me:id) carries their names too: another device of theirs changed them.
      if (user.id === viewerId()) {
        cache.modify({ id: cache.identify({ __typename: 'Me', id: user.id }), fields: { username: () => user.username, displayName: () => user.displayName } });
      }
    },
    typing(conversationId, user) {
      typingNow(conversationId, user);
    },
  };
}
