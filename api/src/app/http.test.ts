import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/server.js';

let server: TestServer;
let webDist: string;
beforeAll(async () => {
  webDist = await mkdtemp(path.join(tmpdir(), 'dash-web-'));
  await mkdir(path.join(webDist, 'assets'));
  await writeFile(path.join(webDist, 'index.html'), '<!doctype html><title>Dash</title><div id="app"></div>');
  await writeFile(path.join(webDist, 'assets', 'app-1234.js'), 'console.log(1)');
  server = await startTestServer({ webDist });
});
afterAll(async () => {
  await server.close();
  await rm(webDist, { recursive: true, force: true });
});

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

  it('answers an unexpected failure with INTERNAL_SERVER_ERROR and nothing of its cause', async () => {
    const broken = await startTestServer({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/nowhere' });
    try {
      const result = await broken.gql('mutation { login(input: { login: "someone", password: "whatever-it-is" }) { token } }');
      expect(result.errors?.[0]).toEqual({
        message: 'Something went wrong on our side.',
        locations: [{ line: 1, column: 12 }],
        path: ['login'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
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

describe('web client', () => {
  it('serves index.html at / and for client routes, assets with long caching', async () => {
    for (const route of ['/', '/login', '/chats/123']) {
      const response = await fetch(`${server.url}${route}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="app">');
    }
    const asset = await fetch(`${server.url}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });
});
