import type { Client, Sink, SubscribePayload } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { authorizationHeaders, endpointUrls, failuresAsResults, withMatchingOperation } from './fetcher';

/** A client whose one subscription ends with `failure`, after a first result. */
function failingClient(failure: unknown): Client {
  return {
    on: () => () => {},
    subscribe(_payload: SubscribePayload, sink: Sink) {
      sink.next({ data: { events: { __typename: 'TypingEvent' } } });
      sink.error(failure);
      return () => {};
    },
    iterate: () => {
      throw new Error('not used');
    },
    dispose: () => {},
    terminate: () => {},
  } as unknown as Client;
}

function collect(client: Client): { results: unknown[]; failed: unknown[]; completed: boolean } {
  const seen = { results: [] as unknown[], failed: [] as unknown[], completed: false };
  client.subscribe({ query: 'subscription { events { __typename } }' }, {
    next: (result) => seen.results.push(result),
    error: (failure) => seen.failed.push(failure),
    complete: () => (seen.completed = true),
  });
  return seen;
}

describe('a subscription that fails', () => {
  it('ends with its failure as a result, never as an error for the toolkit to leave unhandled', () => {
    const closed = collect(failuresAsResults(failingClient({ code: 4401, reason: 'Unauthorized' })));
    expect(closed).toEqual({
      results: [
        { data: { events: { __typename: 'TypingEvent' } } },
        { errors: [{ message: 'The server closed the socket with 4401 Unauthorized: sign in first (the key icon)', extensions: { closeCode: 4401 } }] },
      ],
      failed: [],
      completed: true,
    });
  });

  it("passes the server's errors on as they are, and any other failure by its message", () => {
    const invalid = [{ message: 'Cannot query field "nope" on type "Event".', extensions: { code: 'BAD_USER_INPUT' } }];
    expect(collect(failuresAsResults(failingClient(invalid))).results[1]).toEqual({ errors: invalid });
    expect(collect(failuresAsResults(failingClient(new Error('offline')))).results[1]).toEqual({ errors: [{ message: 'offline' }] });
  });
});

describe('the connection', () => {
  it("is the page's own origin, wss: under https:", () => {
    expect(endpointUrls({ protocol: 'http:', host: '127.0.0.1:4000' })).toEqual({ http: 'http://127.0.0.1:4000/graphql', ws: 'ws://127.0.0.1:4000/graphql' });
    expect(endpointUrls({ protocol: 'https:', host: 'chat.example.org' })).toEqual({ http: 'https://chat.example.org/graphql', ws: 'wss://chat.example.org/graphql' });
  });

  it('sends the token as a Bearer header, and nothing when signed out', () => {
    expect(authorizationHeaders('dsh_abc')).toEqual({ Authorization: 'Bearer dsh_abc' });
    expect(authorizationHeaders(null)).toEqual({});
  });
});

describe('the operation name sent', () => {
  const EVENTS = 'subscription Events { events { __typename } }';
  const TWO = 'query A { __typename } query B { __typename }';

  it("is corrected when it names none of a one-operation document's operations (GraphiQL's name lagging a tab switch)", () => {
    expect(withMatchingOperation({ query: 'query MyConversations { __typename }', operationName: 'Events' })).toEqual({ query: 'query MyConversations { __typename }', operationName: 'MyConversations' });
    expect(withMatchingOperation({ query: '{ __typename }', operationName: 'Events' })).toEqual({ query: '{ __typename }', operationName: null });
  });

  it('goes as it is when it names an operation, when there is a real choice, or when the text does not parse', () => {
    for (const params of [
      { query: EVENTS, operationName: 'Events' },
      { query: TWO, operationName: 'Events' },
      { query: TWO, operationName: 'B' },
      { query: '{ nothingHere', operationName: 'Events' },
      { query: EVENTS, operationName: null },
    ]) {
      expect(withMatchingOperation(params)).toBe(params);
    }
  });
});
