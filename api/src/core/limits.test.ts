import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, wsQuery, type TestServer } from '../../test/server.js';
import { registerUser, type TestUser } from '../../test/factories.js';
import { OPERATION_LIMITS } from './limits.js';

let server: TestServer;
let user: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  user = await registerUser(server);
});
afterAll(() => server.close());

const aliased = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
const directives = (count: number) => `{ me { id ${'@include(if: true) '.repeat(count)} } }`;

describe('operation limits', () => {
  it('allow an operation at the alias limit and refuse one past it, over HTTP', async () => {
    expect((await server.gql(aliased(OPERATION_LIMITS.aliases), {}, user.token)).errors).toBeUndefined();
    const refused = await server.gql(aliased(OPERATION_LIMITS.aliases + 1), {}, user.token);
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('refuse alias batching of logins before running any', async () => {
    const batch = `mutation { ${Array.from({ length: 50 }, (_, i) => `l${i}: login(input: { login: "${user.username}", password: "guess-${i}-xxxx" }) { token }`).join(' ')} }`;
    const refused = await server.gql(batch);
    expect(refused.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await server.gql('{ me { id } }', {}, user.token)).data).toEqual({ me: { id: user.id } });
  });

  it('refuse too many directives', async () => {
    const refused = await server.gql(directives(OPERATION_LIMITS.directives + 1), {}, user.token);
    expect(refused.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('apply on the WebSocket path too, with the same error codes', async () => {
    const socket = server.socket({ token: user.token });
    await socket.connected;
    await expect(wsQuery(socket.client, aliased(OPERATION_LIMITS.aliases + 1))).rejects.toEqual([
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    const fine = await wsQuery<{ me: { id: string } }>(socket.client, '{ me { id } }');
    expect(fine.data?.me.id).toBe(user.id);
  });

  it('still allow the full introspection query', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const result = await server.gql(getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
  });
});

describe('introspection turned off (GRAPHQL_INTROSPECTION=false)', () => {
  it('is refused over HTTP and over the socket, naming the variable; ordinary __typename still works', async () => {
    const closed = await startTestServer({ introspection: false });
    try {
      const who = await registerUser(closed);
      const message = 'Introspection is turned off on this server (GRAPHQL_INTROSPECTION=false).';
      for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "User") { name } }']) {
        const refused = await closed.gql(query);
        expect(refused.errors?.[0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
      }
      const socket = closed.socket({ token: who.token });
      await socket.connected;
      await expect(wsQuery(socket.client, '{ __schema { types { name } } }')).rejects.toEqual([expect.objectContaining({ message })]);
      expect((await closed.gql('{ me { __typename id } }', {}, who.token)).data).toEqual({ me: { __typename: 'Me', id: who.id } });
    } finally {
      await closed.close();
    }
  });
});

describe('the web client', () => {
  it('stays within the limits with its richest query, the conversation list', async () => {
    const { print } = await import('graphql');
    const { ConversationsQuery } = await import('../../../web/src/graphql/messenger.js');
    const server = await startTestServer();
    try {
      const user = await registerUser(server);
      const result = await server.gql(print(ConversationsQuery), {}, user.token);
      expect(result.errors).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
