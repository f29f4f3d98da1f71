import { watch, type App } from 'vue';
import {
  ApolloClient,
  ApolloLink,
  HttpLink,
  InMemoryCache,
  Observable,
  type NormalizedCacheObject,
} from '@apollo/client/core';
import { DefaultApolloClient } from '@vue/apollo-composable';
import { graphQLErrorsOf, hasErrorCode } from '../graphql/errors';
import { useSessionStore } from '../composables/useSession';

/** Options of {@link createApolloClient}. */
export interface ApolloOptions {
  /** The session token to send, if any. */
  getToken: () => string | null;
  /** Called when the server rejects the token that was sent (expired or revoked session). */
  onSessionRejected: () => void;
  /** @default '/graphql' (same origin; Vite's dev server proxies it) */
  uri?: string;
}

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

/** An Apollo Client for `/graphql` over HTTP that carries the session. */
export function createApolloClient(options: ApolloOptions): ApolloClient<NormalizedCacheObject> {
  return new ApolloClient({
    link: ApolloLink.from([sessionLink(options), new HttpLink({ uri: options.uri ?? '/graphql' })]),
    cache: new InMemoryCache(),
  });
}

/** Provides the client to `useQuery`/`useMutation`; needs Pinia installed first. */
export function install(app: App): void {
  const session = useSessionStore();
  const client = createApolloClient({
    getToken: () => session.token,
    onSessionRejected: () => session.end(),
  });
  // Nothing of one user's data may outlive their session. `clearStore` does not refetch,
  // so the page still on screen does not ask again with no token.
  watch(
    () => session.isSignedIn,
    (signedIn) => {
      if (!signedIn) void client.clearStore();
    },
  );
  app.provide(DefaultApolloClient, client);
}
