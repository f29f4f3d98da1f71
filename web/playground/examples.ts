/**
 * The tabs a new playground opens with: a client's first steps, in order. Each is checked
 * against schema.graphql by examples.test.ts, so a schema change that breaks one fails a test.
 */

/** One of GraphiQL's `defaultTabs`. */
export interface ExampleTab {
  query: string;
  variables?: string;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

export const EXAMPLE_TABS: ExampleTab[] = [
  {
    // The first tab gets no variables: GraphiQL fills the first tab's variables editor only
    // from its initialVariables prop, which would add a tab to a restored session.
    query: `# Sign in: \`login\` answers with a session token. Easier: the Sign in panel (the key
# icon on the left) keeps the token for every tab, over HTTP (Authorization: Bearer)
# and on the WebSocket (connectionParams.token).
mutation SignIn {
  login(input: { login: "demo", password: "welcome-to-dash" }) {
    token
    me { username displayName }
  }
}

# With two-factor sign-in on, login answers the error TWO_FACTOR_REQUIRED with
# extensions.challenge: pass it here with a code from the authenticator app (or a
# recovery code), and choose CompleteSignIn when you run.
mutation CompleteSignIn {
  completeLogin(input: { challenge: "the challenge from login", code: "123456" }) {
    token
    me { username displayName }
  }
}
`,
  },
  {
    query: `# Your conversations, latest activity first. Each one's seq is its change counter:
# keep the last seq you applied as your cursor for events and SyncAfterReconnect.
query MyConversations($after: String) {
  conversations(first: 20, after: $after) {
    nodes {
      id
      kind
      title
      seq
      unreadCount
      lastMessage { seq body sender { username } }
    }
    pageInfo { endCursor hasNextPage }
  }
}
`,
  },
  {
    query: `# A conversation's history, oldest first: the latest messages, or those before a seq
# to scroll back. Put an id from MyConversations into the variables.
query History($conversationId: ID!, $before: Int) {
  messages(conversationId: $conversationId, before: $before, limit: 20) {
    hasMore
    messages {
      id
      seq
      kind
      body
      edited
      deleted
      createdAt
      sender { username }
    }
  }
}
`,
    variables: json({ conversationId: 'an id from MyConversations' }),
  },
  {
    query: `# Send a message. clientMsgId is your idempotency key: retrying with the same key
# (after a timeout, say) returns the first result instead of sending twice.
# Use a new key for each new message.
mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) {
    id
    seq
    clientMsgId
    createdAt
    body
  }
}
`,
    variables: json({ input: { conversationId: 'an id from MyConversations', clientMsgId: 'playground-1', body: 'Hello from the **playground**' } }),
  },
  {
    query: `# Everything that happens to you, live, over the WebSocket (graphql-ws on /graphql,
# signed in with the panel's token). A change inside a conversation carries its seq:
# cursor + 1 is next, at or below the cursor is already applied, above it is a gap:
# fill it with changes(conversationId, afterSeq: cursor).
subscription Events {
  events {
    __typename
    ... on ConversationChange {
      conversationId
      seq
      message { id seq kind body sender { username } }
    }
    ... on ReadReceiptEvent { conversationId lastReadSeq user { username } }
    ... on TypingEvent { conversationId user { username } }
    ... on PresenceEvent { online lastSeenAt user { username } }
    ... on ConversationRemovedEvent { conversationId }
    ... on SyncRequiredEvent { reason }
  }
}
`,
  },
  {
    query: `# After a reconnect (or a SyncRequiredEvent): subscribe to Events again, then ask once
# for everything after your cursors, [{ "conversationId": "…", "seq": 12 }, …]
# (conversations you have no cursor for come whole), and again with each toSeq as the
# new cursor while hasMore.
query SyncAfterReconnect($cursors: [SyncCursorInput!]!) {
  sync(cursors: $cursors) {
    hasMore
    removedConversationIds
    changes {
      fromSeq
      toSeq
      hasMore
      conversation { id title seq unreadCount }
      messages { id seq updatedSeq kind body edited deleted }
    }
  }
}
`,
    variables: json({ cursors: [] }),
  },
];
