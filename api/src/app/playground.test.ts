import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/server.js';
import { makeWebDist, rawRequest, type RawResponse, type WebDist } from '../../test/web-dist.js';

let dist: WebDist;
let server: TestServer;
beforeAll(async () => {
  dist = await makeWebDist();
  server = await startTestServer({ webDist: dist.dir });
});
afterAll(async () => {
  await server.close();
  await dist.remove();
});

/** What Chromium sends when it navigates. */
const navigation = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8' };

/** The policy as directive → sources. */
function directives(response: RawResponse): Record<string, string[]> {
  const header = String(response.headers['content-security-policy'] ?? '');
  return Object.fromEntries(header.split(';').map((part) => part.trim().split(/\s+/)).filter(([name]) => name).map(([name, ...sources]) => [name, sources]));
}

/** A GET of /graphql as the API has always answered it: Apollo's CSRF prevention refuses it, as JSON. */
function expectApiAnswer(response: RawResponse): void {
  expect(response.status).toBe(400);
  expect(response.headers['content-type']).toMatch(/^application\/(graphql-response\+)?json/);
  const body = JSON.parse(response.body.toString()) as { errors: { extensions: { code: string } }[] };
  expect(body.errors[0]?.extensions.code).toBe('BAD_REQUEST');
}

describe('the playground', () => {
  it('is the page a browser gets at /graphql and /playground: HTML, never cached, with its nonce and the introspection flag filled in', async () => {
    for (const route of ['/graphql', '/playground', '/playground/']) {
      const response = await rawRequest(`${server.url}${route}`, { headers: navigation });
      expect({ route, status: response.status }).toEqual({ route, status: 200 });
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      const html = response.body.toString();
      expect(html).toContain('<div id="playground">');
      expect(html).toContain('<meta name="graphql-introspection" content="on">');
      expect(html).not.toMatch(/__CSP_NONCE__|__INTROSPECTION__/);
      const nonce = /nonce="([^"]+)"/.exec(html)?.[1];
      expect(directives(response)['style-src']).toEqual(["'self'", `'nonce-${nonce}'`]);
    }
    expect((await rawRequest(`${server.url}/graphql`, { headers: navigation })).headers.vary).toContain('Accept');
  });

  it("runs under the app's policy but for what Monaco's editors need (style attributes, data: images): no inline script, no eval", async () => {
    const page = directives(await rawRequest(`${server.url}/playground`, { headers: navigation }));
    const app = directives(await rawRequest(`${server.url}/chats`, { headers: navigation }));
    const withoutNonce = (policy: Record<string, string[]>) => ({ ...policy, 'style-src': policy['style-src']?.filter((source) => !source.startsWith("'nonce-")) });
    expect(withoutNonce(page)).toEqual({ ...withoutNonce(app), 'style-src-attr': ["'unsafe-inline'"], 'img-src': ["'self'", 'data:'] });
    expect(page['script-src']).toEqual(["'self'"]);
    expect(Object.values(page).flat()).not.toContain("'unsafe-eval'");
    expect(app['style-src-attr']).toBeUndefined();
  });

  it('leaves every other request to /graphql as it was: a GET that does not prefer HTML reaches the API', async () => {
    for (const accept of ['*/*', 'application/json', 'application/graphql-response+json', 'application/json, text/html', undefined]) {
      const response = await rawRequest(`${server.url}/graphql`, { headers: accept ? { accept } : {} });
      expectApiAnswer(response);
      expect(response.headers.vary).toContain('Accept');
    }
    const query = await rawRequest(`${server.url}/graphql?query=%7B__typename%7D`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(JSON.parse(query.body.toString())).toEqual({ data: { __typename: 'Query' } });
    expect(await server.gql('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
  });

  it('says in the page when the server refuses introspection', async () => {
    const closed = await startTestServer({ webDist: dist.dir, introspection: false });
    try {
      const html = (await rawRequest(`${closed.url}/playground`, { headers: navigation })).body.toString();
      expect(html).toContain('<meta name="graphql-introspection" content="off">');
    } finally {
      await closed.close();
    }
  });

  it('never hands out its template, and serves its assets as the web client serves its own', async () => {
    expect((await rawRequest(`${server.url}/playground/index.html`, { headers: navigation })).status).toBe(404);
    const asset = await rawRequest(`${server.url}/playground/assets/main-1234.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers 404 at /playground, and leaves /graphql to the API, when PLAYGROUND=false', async () => {
    const off = await startTestServer({ webDist: dist.dir, playground: false });
    try {
      for (const route of ['/playground', '/playground/', '/playground/index.html', '/playground/assets/main-1234.js']) {
        const response = await rawRequest(`${off.url}${route}`, { headers: navigation });
        expect({ route, status: response.status }).toEqual({ route, status: 404 });
        expect(response.body.toString()).not.toContain('playground');
      }
      expectApiAnswer(await rawRequest(`${off.url}/graphql`, { headers: navigation }));
    } finally {
      await off.close();
    }
  });

  it('is off in production unless PLAYGROUND says otherwise', async () => {
    const production = await startTestServer({ webDist: dist.dir }, { NODE_ENV: 'production' });
    try {
      expect(production.config.playground).toBe(false);
      expect((await rawRequest(`${production.url}/playground`, { headers: navigation })).status).toBe(404);
      expectApiAnswer(await rawRequest(`${production.url}/graphql`, { headers: navigation }));
    } finally {
      await production.close();
    }
    const optedIn = await startTestServer({ webDist: dist.dir }, { NODE_ENV: 'production', PLAYGROUND: 'true' });
    try {
      expect((await rawRequest(`${optedIn.url}/playground`, { headers: navigation })).status).toBe(200);
    } finally {
      await optedIn.close();
    }
  });

  it('answers 404 while it is not built, and /graphql stays the API', async () => {
    const unbuilt = await makeWebDist();
    await rm(path.join(unbuilt.dir, 'playground'), { recursive: true });
    const bare = await startTestServer({ webDist: unbuilt.dir });
    try {
      const page = await rawRequest(`${bare.url}/playground`, { headers: navigation });
      expect(page.status).toBe(404);
      expect(page.body.toString()).toContain('npm run build');
      expectApiAnswer(await rawRequest(`${bare.url}/graphql`, { headers: navigation }));
    } finally {
      await bare.close();
      await unbuilt.remove();
    }
  });
});
