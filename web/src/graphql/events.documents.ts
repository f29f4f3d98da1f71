/**
 * The realtime operation's text, with no dependency: the web client wraps it in `gql`
 * (messenger.ts), and the API's tests and the benchmark (`bench/`) use the very same text,
 * so what they measure and check is what the client asks for.
 */

export const MESSAGE_FIELDS_TEXT = /* GraphQL */ `
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
    sender { id displayName username }
    replyTo { id seq kind body deleted sender { id displayName } }
    isReply
    event { type title role actor { id displayName } users { id displayName } }
    attachments { id mime bytes width height name placeholder url thumbnailUrl }
    sticker { id packId emoji url width height }
  }
`;

/** The `events` subscription; it spreads MessageFields, so send it with {@link MESSAGE_FIELDS_TEXT}. */
export const EVENTS_TEXT = /* GraphQL */ `
  subscription Events {
    events {
      __typename
      ... on ConversationChange { conversationId seq message { ...MessageFields } }
      ... on MemberJoinedEvent { userIds }
      ... on MemberLeftEvent { userId }
      ... on MemberRoleChangedEvent { userId role }
      ... on ReadReceiptEvent { conversationId userId lastReadSeq }
      ... on TypingEvent { conversationId userId user { id displayName } }
      ... on PresenceEvent { userId online lastSeenAt }
      ... on ProfileChangedEvent { user { id username displayName avatar { id small large placeholder } } }
      ... on ConversationRemovedEvent { conversationId }
      ... on MessageHiddenEvent { conversationId messageId hiddenSeq }
      ... on SyncRequiredEvent { reason }
    }
  }
`;
