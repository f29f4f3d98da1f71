import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('health checks', () => {
  it('/healthz answers while the process is up', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 with the database reachable and 503 without it', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'postgres' });

    const broken = await startTestServer({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    try {
      const response = await fetch(`${broken.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ status: 'unavailable' });
    } finally {
      await broken.close();
    }
  });
});

describe('errors', () => {
  it('gives a malformed query BAD_USER_INPUT and no internals', async () => {
    const result = await server.gql('{ me { id ');
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_PARSE_FAILED' });
    const unknown = await server.gql('{ nothingHere }');
    expect(unknown.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('answers a database out of reach with UNAVAILABLE, when to retry, and nothing of its cause', async () => {
    const broken = await startTestServer({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    try {
      const result = await broken.gql('mutation { login(input: { login: "someone", password: "whatever-it-is" }) { token } }');
      expect(result.errors?.[0]).toEqual({
        message: 'The service is briefly unavailable. Try again in 2 s.',
        locations: [{ line: 1, column: 12 }],
        path: ['login'],
        extensions: { code: 'UNAVAILABLE', retryAfter: 2 },
      });
    } finally {
      await broken.close();
    }
  });

  it('never echoes the token in an error', async () => {
    const token = `dsh_${'Z'.repeat(43)}`;
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(await response.text()).not.toContain(token);
  });
});
