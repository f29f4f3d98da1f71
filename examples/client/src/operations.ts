/**
 * Every GraphQL document this client sends, and the shapes of their answers (typed by
 * hand from schema.graphql). The repository's schema check (scripts/schema) finds each
 * `gql` document here and validates it against schema.graphql.
 */

/** Joins a document's text with the fragments it interpolates; marks it for editors and the schema check. */
export function gql(strings: TemplateStringsArray, ...fragments: string[]): string {
  return strings.reduce((text, part, i) => text + part + (fragments[i] ?? ''), '');
}

const MESSAGE_FIELDS = gql`
  fragment MessageFields on Message {
    id
    conversationId
    seq
    updatedSeq
    kind
    body
    edited
    deleted
    clientMsgId
    createdAt
    sender { id username }
  }
`;

export const LOGIN = gql`
  mutation Login($input: LoginInput!) {
    login(input: $input) { token me { id username } }
  }
`;

export const COMPLETE_LOGIN = gql`
  mutation CompleteLogin($input: CompleteLoginInput!) {
    completeLogin(input: $input) { token me { id username } }
  }
`;

export const EVENTS = gql`
  subscription Events {
    events {
      __typename
      ... on ConversationChange { conversationId seq message { ...MessageFields } }
      ... on ConversationRemovedEvent { conversationId }
      ... on MessageHiddenEvent { conversationId messageId hiddenSeq }
      ... on ReadReceiptEvent { conversationId lastReadSeq user { username } }
      ... on TypingEvent { conversationId user { username } }
      ... on PresenceEvent { online lastSeenAt user { username } }
      ... on SyncRequiredEvent { reason }
    }
  }
  ${MESSAGE_FIELDS}
`;

export const SYNC = gql`
  query Sync($cursors: [SyncCursorInput!]!) {
    sync(cursors: $cursors) {
      changes { conversation { id title } messages { ...MessageFields } toSeq hiddenMessageIds hiddenSeq hasMore }
      removedConversationIds
      hasMore
    }
  }
  ${MESSAGE_FIELDS}
`;

export const CHANGES = gql`
  query Changes($conversationId: ID!, $afterSeq: Int!, $hiddenAfter: Int) {
    changes(conversationId: $conversationId, afterSeq: $afterSeq, hiddenAfter: $hiddenAfter) {
      messages { ...MessageFields }
      toSeq
      hiddenMessageIds
      hiddenSeq
      hasMore
    }
  }
  ${MESSAGE_FIELDS}
`;

export const SEND_MESSAGE = gql`
  mutation SendMessage($input: SendMessageInput!) {
    sendMessage(input: $input) { id conversationId seq clientMsgId }
  }
`;

export interface Message {
  id: string;
  conversationId: string;
  /** Its place in the conversation. */
  seq: number;
  /** The seq of its latest change (sent, edited or deleted): the newer copy wins. */
  updatedSeq: number;
  kind: 'TEXT' | 'IMAGE' | 'STICKER' | 'FILE' | 'SYSTEM';
  body: string;
  edited: boolean;
  deleted: boolean;
  clientMsgId: string | null;
  createdAt: string;
  sender: { id: string; username: string } | null;
}

export interface SignedIn {
  token: string;
  me: { id: string; username: string };
}

/** A change inside a conversation: it took the conversation's next seq. */
export interface ChangeEvent {
  __typename: 'MessageAddedEvent' | 'MessageEditedEvent' | 'MessageDeletedEvent' | 'ConversationUpdatedEvent' | 'MemberJoinedEvent' | 'MemberLeftEvent' | 'MemberRoleChangedEvent';
  conversationId: string;
  seq: number;
  message: Message;
}

/** What the `events` subscription delivers, as selected by {@link EVENTS}. */
export type Event =
  | ChangeEvent
  | { __typename: 'ConversationRemovedEvent'; conversationId: string }
  /** The user deleted a message for themselves (on any of their devices): its own cursor, `hiddenSeq`. */
  | { __typename: 'MessageHiddenEvent'; conversationId: string; messageId: string; hiddenSeq: number }
  | { __typename: 'ReadReceiptEvent'; conversationId: string; lastReadSeq: number; user: { username: string } }
  | { __typename: 'TypingEvent'; conversationId: string; user: { username: string } }
  | { __typename: 'PresenceEvent'; online: boolean; lastSeenAt: string | null; user: { username: string } }
  | { __typename: 'SyncRequiredEvent'; reason: string };

export interface ConversationChanges {
  messages: Message[];
  toSeq: number;
  /** The messages the user deleted for themselves after the hidden cursor given. */
  hiddenMessageIds: string[];
  hiddenSeq: number;
  hasMore: boolean;
}

export interface SyncResult {
  changes: (ConversationChanges & { conversation: { id: string; title: string } })[];
  removedConversationIds: string[];
  hasMore: boolean;
}

export interface SentMessage {
  id: string;
  conversationId: string;
  seq: number;
  clientMsgId: string;
}
