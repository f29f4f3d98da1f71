/**
 * Test helpers for conversations, messages and the event stream, all through the
 * public API (HTTP and graphql-ws), as a client would use it.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import type { TestServer } from './server.js';
import type { TestUser } from './factories.js';

export const MESSAGE_FIELDS = 'id conversationId seq updatedSeq kind body edited deleted clientMsgId sender { id } replyTo { id }';

export const EVENT_SELECTION = /* GraphQL */ `
  __typename
  ... on ConversationChange { conversationId seq message { ${MESSAGE_FIELDS} event { type users { id } role title } } }
  ... on MemberJoinedEvent { userIds }
  ... on MemberLeftEvent { userId }
  ... on MemberRoleChangedEvent { userId role }
  ... on ReadReceiptEvent { conversationId userId lastReadSeq }
  ... on TypingEvent { conversationId userId }
  ... on PresenceEvent { userId online lastSeenAt }
  ... on ConversationRemovedEvent { conversationId }
  ... on MessageHiddenEvent { conversationId messageId hiddenSeq }
  ... on SyncRequiredEvent { reason }
`;

export interface TestMessage {
  id: string;
  conversationId: string;
  seq: number;
  updatedSeq: number;
  kind: string;
  body: string;
  edited: boolean;
  deleted: boolean;
  clientMsgId: string | null;
  sender: { id: string } | null;
  replyTo: { id: string } | null;
}

export interface TestEvent {
  __typename: string;
  conversationId?: string;
  seq?: number;
  message?: TestMessage & { event: { type: string; users: { id: string }[]; role: string | null; title: string | null } | null };
  userIds?: string[];
  userId?: string;
  role?: string;
  lastReadSeq?: number;
  online?: boolean;
  lastSeenAt?: string | null;
  reason?: string;
  messageId?: string;
  hiddenSeq?: number;
}

/** Throws with the errors when a GraphQL answer has any; returns its data. */
export function ok<T>(result: { data?: T | null; errors?: unknown[] }): T {
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export async function createDirect(server: TestServer, user: TestUser, otherId: string): Promise<string> {
  const data = ok(await server.gql<{ createDirectConversation: { id: string } }>(
    'mutation($id: ID!) { createDirectConversation(userId: $id) { id } }', { id: otherId }, user.token));
  return data.createDirectConversation.id;
}

export async function createGroup(server: TestServer, owner: TestUser, members: TestUser[], title = 'Test group'): Promise<string> {
  const data = ok(await server.gql<{ createGroup: { id: string } }>(
    'mutation($input: CreateGroupInput!) { createGroup(input: $input) { id } }',
    { input: { title, memberIds: members.map((m) => m.id) } },
    owner.token,
  ));
  return data.createGroup.id;
}

export const SEND = `mutation($input: SendMessageInput!) { sendMessage(input: $input) { ${MESSAGE_FIELDS} } }`;

export async function send(server: TestServer, user: TestUser, conversationId: string, body: string, extra: { clientMsgId?: string; replyToId?: string } = {}): Promise<TestMessage> {
  const input = { conversationId, body, clientMsgId: extra.clientMsgId ?? randomUUID(), ...(extra.replyToId ? { replyToId: extra.replyToId } : {}) };
  return ok(await server.gql<{ sendMessage: TestMessage }>(SEND, { input }, user.token)).sendMessage;
}

/** A deferred value: tests await these, never a sleep. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface EventStream {
  events: TestEvent[];
  /** Resolves with the first event (already received or to come) that matches. */
  next(match: (event: TestEvent) => boolean, label?: string): Promise<TestEvent>;
  /** Resolves once `count` events match. */
  count(match: (event: TestEvent) => boolean, count: number): Promise<TestEvent[]>;
  /** Ends the subscription. */
  stop(): void;
}

/**
 * Subscribes to `events` on a connected client and collects what arrives (also handing each
 * event to `onEvent`). @param selection what to select of each event @default EVENT_SELECTION
 */
export function subscribeEvents(client: Client, onEvent?: (event: TestEvent) => void, selection = EVENT_SELECTION): EventStream {
  const events: TestEvent[] = [];
  const waiters: { match: (e: TestEvent) => boolean; count: number; done: ReturnType<typeof deferred<TestEvent[]>> }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const found = events.filter(waiter.match);
      if (found.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done.resolve(found.slice(0, waiter.count));
      }
    }
  };
  const stop = client.subscribe<{ events: TestEvent }>(
    { query: `subscription { events { ${selection} } }` },
    {
      next: (result) => {
        if (result.errors) throw new Error(JSON.stringify(result.errors));
        if (result.data) {
          events.push(result.data.events);
          onEvent?.(result.data.events);
        }
        check();
      },
      error: (error) => {
        for (const waiter of waiters.splice(0)) waiter.done.reject(error);
      },
      complete: () => {},
    },
  );
  const count = (match: (e: TestEvent) => boolean, n: number) => {
    const done = deferred<TestEvent[]>();
    waiters.push({ match, count: n, done });
    check();
    return done.promise;
  };
  return {
    events,
    next: async (match) => (await count(match, 1))[0]!,
    count,
    stop,
  };
}

/** Opens a socket for `user` and subscribes to events; resolves once the subscription is live. */
export async function connect(server: TestServer, user: TestUser, selection = EVENT_SELECTION): Promise<{ stream: EventStream; client: Client; closed: Promise<{ code: number; reason: string }> }> {
  const socket = server.socket({ token: user.token });
  await socket.connected;
  const stream = subscribeEvents(socket.client, undefined, selection);
  await waitUntilSubscribed(server, user, stream);
  return { stream, client: socket.client, closed: socket.closed };
}

/**
 * The subscription becomes live asynchronously on the server. Prove it is: make a change
 * the user is sure to hear about (mark read in a fresh one-person group) and wait for it.
 */
export async function waitUntilSubscribed(server: TestServer, user: TestUser, stream: EventStream): Promise<void> {
  const probe = await createGroup(server, user, [], `probe-${randomUUID().slice(0, 8)}`);
  await stream.next((e) => e.__typename === 'MemberJoinedEvent' && e.conversationId === probe);
  ok(await server.gql('mutation($id: ID!) { deleteConversation(conversationId: $id, forEveryone: true) }', { id: probe }, user.token));
  await stream.next((e) => e.__typename === 'ConversationRemovedEvent' && e.conversationId === probe);
}
