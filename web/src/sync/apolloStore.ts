/**
 * The sync engine's store: the Apollo cache. Messages are normalized (Message:id), so a
 * write of a changed message updates it wherever it shows; a conversation's history is
 * the `messages(conversationId)` field, merged by seq (see plugins/apollo.ts).
 */
import type { ApolloClient, NormalizedCacheObject, Reference } from '@apollo/client/core';
import { ConversationQuery, MESSAGE_FIELDS, MessagesQuery, type ConversationData, type MemberData, type MessageData } from '../graphql/messenger';
import type { SyncStore } from './engine';
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
      cache.writeQuery({ query: ConversationQuery, variables: { id: conversation.id }, data: { conversation } });
      ensureListed(conversation);
    },
    putMessages(conversationId, messages) {
      if (messages.length === 0) return;
      // Each message itself first: an edit or deletion shows wherever the message does,
      // also in a history that is not loaded.
      for (const message of messages) {
        cache.writeFragment({ id: cache.identify({ __typename: 'Message', id: message.id }), fragment: MESSAGE_FIELDS, fragmentName: 'MessageFields', data: message });
      }
      // Then the history, if one is loaded: without the old copies of these messages, since a
      // write holding two versions of one message keeps the first.
      const incoming = new Set(messages.map((m) => m.id));
      cache.updateQuery({ query: MessagesQuery, variables: { conversationId } }, (data) =>
        data ? { messages: { ...data.messages, messages: [...data.messages.messages.filter((m) => !incoming.has(m.id)), ...messages] } } : null,
      );
    },
    messageAdded(conversationId, message, seq) {
      const mine = message.sender?.id === viewerId();
      const messageId = cache.identify({ __typename: 'Message', id: message.id });
      cache.modify({
        id: conversationRef(conversationId),
        fields: {
          seq: (current: number) => Math.max(current, seq),
          lastMessage: () =>
            cache.writeFragment({ id: messageId, fragment: MESSAGE_FIELDS, fragmentName: 'MessageFields', data: message }) ?? null,
          lastActivityAt: () => message.createdAt,
          unreadCount: (count: number) => (mine || message.kind === 'SYSTEM' ? count : count + 1),
        },
      });
      if (!mine && message.kind !== 'SYSTEM') onIncoming(conversationId, message);
    },
    removeConversation(conversationId) {
      const id = conversationRef(conversationId);
      if (id) cache.evict({ id });
      cache.evict({ id: 'ROOT_QUERY', fieldName: 'messages', args: { conversationId } });
      cache.gc();
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
    typing(conversationId, user) {
      typingNow(conversationId, user);
    },
  };
}
