/**
 * How the playground talks to the API: queries and mutations as POST /graphql, subscriptions
 * over graphql-ws on the same path, both signed in with the panel's token.
 */
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { parse, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client, type FormattedExecutionResult, type Sink, type SubscribePayload } from 'graphql-ws';

/** The GraphQL endpoint of the page's own origin, over HTTP and over WebSocket. */
export function endpointUrls(location: Pick<Location, 'protocol' | 'host'>): { http: string; ws: string } {
  const ws = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return { http: `${location.protocol}//${location.host}/graphql`, ws: `${ws}//${location.host}/graphql` };
}

/** The headers every HTTP request carries; the headers editor can add to them or override them. */
export function authorizationHeaders(token: string | null): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** A socket's close as graphql-ws reports it: a CloseEvent in browsers. */
function isCloseEvent(error: unknown): error is { code: number; reason: string } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number' && 'reason' in error;
}

/** A subscription's failure, as the errors of a GraphQL result. */
export function failureErrors(failure: unknown): readonly GraphQLFormattedError[] {
  // The server's own errors (an invalid subscription, say) come as they are.
  if (Array.isArray(failure)) return failure as GraphQLFormattedError[];
  if (isCloseEvent(failure)) {
    const hint = failure.code === 4401 ? ': sign in first (the key icon)' : '';
    return [{ message: `The server closed the socket with ${failure.code} ${failure.reason}${hint}`.trim(), extensions: { closeCode: failure.code } }];
  }
  return [{ message: failure instanceof Error ? failure.message : String(failure) }];
}

/**
 * `client` with each subscription's failure delivered as its last result. The toolkit shows a
 * failure handed to the sink's `error`, but also leaves a rejected promise that nobody awaits
 * (an uncaught error in the page); a result with `errors` is shown the same way, and is all.
 */
export function failuresAsResults(client: Client): Client {
  return {
    ...client,
    subscribe<Data, Extensions>(payload: SubscribePayload, sink: Sink<FormattedExecutionResult<Data, Extensions>>) {
      return client.subscribe<Data, Extensions>(payload, {
        next: (result) => sink.next(result),
        complete: () => sink.complete(),
        error: (failure) => {
          sink.next({ errors: failureErrors(failure) });
          sink.complete();
        },
      });
    },
  };
}

type FetcherParams = Parameters<Fetcher>[0];

/**
 * The params with an operation name the document can answer to. GraphiQL keeps the name in its
 * state and updates it a moment after the editor's text: a tab run right after switching sent the
 * new tab's document with the old tab's name ("Unable to identify operation"). When the name is
 * none of the document's operations and the document has exactly one, that one is meant. Anything
 * else (a real choice among several, a document that does not parse) goes as it is.
 */
export function withMatchingOperation(params: FetcherParams): FetcherParams {
  if (!params.operationName) return params;
  let names: (string | undefined)[];
  try {
    names = parse(params.query).definitions.flatMap((d) => (d.kind === 'OperationDefinition' ? [d.name?.value] : []));
  } catch {
    return params;
  }
  if (names.includes(params.operationName) || names.length !== 1) return params;
  return { ...params, operationName: names[0] ?? null };
}

export interface PlaygroundConnection {
  fetcher: Fetcher;
  /** Closes the socket and ends its subscriptions: the next token gets a connection of its own. */
  dispose(): void;
}

/**
 * A fetcher signed in with `token` (or anonymous). The socket opens with the first
 * subscription (`lazy`), sends the token in its connection params, and comes back after a
 * drop with graphql-ws's backoff; the server closes it with 4401 without a valid token.
 */
export function createPlaygroundConnection(token: string | null, urls: { http: string; ws: string }): PlaygroundConnection {
  const wsClient = createClient({
    url: urls.ws,
    connectionParams: token ? { token } : {},
    lazy: true,
  });
  const client = failuresAsResults(wsClient);
  const fetcher = createGraphiQLFetcher({
    url: urls.http,
    wsClient: client,
    headers: authorizationHeaders(token),
    // The API answers JSON only (no @defer or @stream): plain POSTs, no multipart parsing.
    enableIncrementalDelivery: false,
  });
  return { fetcher: (params, opts) => fetcher(withMatchingOperation(params), opts), dispose: () => void wsClient.dispose() };
}
