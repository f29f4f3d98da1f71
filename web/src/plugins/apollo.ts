import { watch, type App } from 'vue';
import {
  ApolloClient,
  ApolloLink,
  HttpLink,
  InMemoryCache,
  Observable,
  split,
  type NormalizedCacheObject,
} from '@apollo/client/core';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { createClient, type Client } from 'graphql-ws';
import { graphQLErrorsOf, hasErrorCode } from '../graphql/errors';
import { useSessionStore } from '../composables/useSession';
import { retryDelay, setConnectionState } from '../composables/useConnection';
import { forgetHistories, historyField } from '../sync/history';

/** Options of {@link createApolloClient}. */
export interface ApolloOptions {
  /** The session token to send, if any. */
  getToken: () => string | null;
  /** Called when the server rejects the token that was sent (expired or revoked session). */
  onSessionRejected: () => void;
  /** @default '/graphql' (same origin; Vite's dev server proxies it) */
  uri?: string;
}

/** graphql-ws closes with this when the session is missing, expired or revoked. */
const UNAUTHORIZED = 4401;

/**
 * Sends `Authorization: Bearer <token>` and reports an `UNAUTHENTICATED` answer to a
 * request that carried a token. Wrong credentials at login carry no token, so they
 * reach the form instead.
 */
function sessionLink({ getToken, onSessionRejected }: ApolloOptions): ApolloLink {
  return new ApolloLink((operation, forward) => {
    const token = getToken();
    if (!token) return forward(operation);
    operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
      headers: { ...headers, authorization: `Bearer ${token}` },
    }));
    return new Observable((observer) => {
      const subscription = forward(operation).subscribe({
        next(result) {
          if (hasErrorCode(result.errors ?? [], 'UNAUTHENTICATED')) onSessionRejected();
          observer.next(result);
        },
        error(error: unknown) {
          if (hasErrorCode(graphQLErrorsOf(error), 'UNAUTHENTICATED')) onSessionRejected();
          observer.error(error);
        },
        complete: () => observer.complete(),
      });
      return () => subscription.unsubscribe();
    });
  });
}

/** Whether the socket is open right now (the browser's online/offline events say nothing of it). */
let socketOpen = false;

/** The one graphql-ws connection: lazy, keep-alive pings, reconnects with backoff for ever. */
export function createSocket(options: ApolloOptions, onReconnected: () => void): Client {
  const url = new URL(options.uri ?? '/graphql', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createClient({
    url: url.toString(),
    lazy: true,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: (attempt) => new Promise((resolve) => setTimeout(resolve, retryDelay(attempt))),
    shouldRetry: (event) => (event as CloseEvent | undefined)?.code !== UNAUTHORIZED,
    connectionParams: () => ({ token: options.getToken() }),
    on: {
      connecting: () => setConnectionState('reconnecting'),
      connected: (_socket, _payload, wasRetry) => {
        socketOpen = true;
        setConnectionState('connected');
        if (wasRetry) onReconnected();
      },
      closed: (event) => {
        socketOpen = false;
        setConnectionState('reconnecting');
        if ((event as CloseEvent | undefined)?.code === UNAUTHORIZED && options.getToken()) options.onSessionRejected();
      },
    },
  });
}

/** The client's cache: entities normalized by id; messages and histories are written by sync/history.ts alone. */
export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          messages: historyField,
          conversations: { keyArgs: false },
          conversation: { read: (_, { args, toReference }) => toReference({ __typename: 'Conversation', id: args?.id as string }) },
        },
      },
      Conversation: { fields: { members: { merge: false } } },
      Member: { keyFields: false },
      SystemEvent: { keyFields: false },
    },
  });
}

/** An Apollo Client: queries and mutations over HTTP, subscriptions over the one socket. */
export function createApolloClient(options: ApolloOptions, socket: Client): ApolloClient<NormalizedCacheObject> {
  const http = ApolloLink.from([sessionLink(options), new HttpLink({ uri: options.uri ?? '/graphql' })]);
  const ws = new GraphQLWsLink(socket);
  const link = split(({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
  }, ws, http);
  const client = new ApolloClient({ link, cache: createCache() });
  // Kept beside the cache (sync/history.ts), so cleared with it: the next person signed in here may see those messages.
  client.onClearStore(async () => forgetHistories(client.cache));
  return client;
}

/** Listeners for "the socket came back after a drop" (the sync engine catches up then). */
const reconnectListeners = new Set<() => void>();
export function onReconnected(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

let socket: Client | null = null;
/** The app's socket (for tests and the realtime composable). */
export function appSocket(): Client | null {
  return socket;
}

/** Provides the client to `useQuery`/`useMutation`; needs Pinia installed first. */
export function install(app: App): void {
  const session = useSessionStore();
  const options: ApolloOptions = { getToken: () => session.token, onSessionRejected: () => session.end() };
  socket = createSocket(options, () => reconnectListeners.forEach((listener) => listener()));
  const client = createApolloClient(options, socket);
  window.addEventListener('offline', () => setConnectionState('offline'));
  // A short blip may leave the socket open: then it is simply connected again.
  window.addEventListener('online', () => setConnectionState(socketOpen ? 'connected' : 'reconnecting'));
  // Nothing of one user's data may outlive their session, nor their socket.
  watch(
    () => session.token,
    (token, previous) => {
      if (token !== previous) socket?.terminate();
      if (!token) void client.clearStore();
    },
  );
  app.provide(DefaultApolloClient, client);
}
