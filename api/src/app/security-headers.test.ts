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

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
const json = { 'content-type': 'application/json' };

/** One request of each kind the server answers: pages, GraphQL (answers and errors), health, files, 404s. */
function everyKindOfResponse(url: string): Promise<[string, RawResponse]>[] {
  const kinds: [string, Parameters<typeof rawRequest>[1]][] = [
    ['/', { headers: html }],
    ['/chats', { headers: html }],
    ['/graphql', { method: 'POST', headers: json, body: '{"query":"{ __typename }"}' }],
    ['/graphql', { method: 'POST', headers: json, body: '{"query":"{ nothingHere }"}' }],
    ['/graphql', { method: 'POST', headers: json, body: '{"query":' }],
    ['/graphql', { headers: html }],
    ['/graphql?query=%7B__typename%7D', { headers: { 'apollo-require-preflight': 'true' } }],
    ['/healthz', {}],
    [dist.asset.url, { headers: { 'accept-encoding': 'br' } }],
    ['/favicon.svg', {}],
    ['/assets/nonexistent.js', {}],
    ['/nowhere', {}],
  ];
  return kinds.map(async ([path, options]): Promise<[string, RawResponse]> => {
    const response = await rawRequest(`${url}${path}`, options);
    return [`${options?.method ?? 'GET'} ${path} → ${response.status}`, response];
  });
}

/** The policy as directive → sources. */
function directives(response: RawResponse): Record<string, string[]> {
  const header = String(response.headers['content-security-policy'] ?? '');
  return Object.fromEntries(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name, sources]),
  );
}

describe('security headers', () => {
  it('are on every kind of response, without HSTS over plain http', async () => {
    for (const [label, response] of await Promise.all(everyKindOfResponse(server.url))) {
      const policy = directives(response);
      expect(policy['frame-ancestors'], label).toEqual(["'none'"]);
      expect(policy['object-src'], label).toEqual(["'none'"]);
      expect(policy['script-src'], label).toEqual(["'self'"]);
      expect(policy['upgrade-insecure-requests'], label).toBeUndefined();
      expect(response.headers['x-content-type-options'], label).toBe('nosniff');
      expect(response.headers['referrer-policy'], label).toBe('no-referrer');
      expect(response.headers['permissions-policy'], label).toContain('camera=()');
      expect(response.headers['x-frame-options'], label).toBe('DENY');
      expect(response.headers['strict-transport-security'], label).toBeUndefined();
    }
  });

  it('give the page a policy that allows only its own files, and its one nonce for styles', async () => {
    const first = await rawRequest(`${server.url}/login`, { headers: html });
    const nonce = /nonce="([^"]+)"/.exec(first.body.toString())?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(directives(first)).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'script-src-attr': ["'none'"],
      'style-src': ["'self'", `'nonce-${nonce}'`],
      'font-src': ["'self'"],
      'img-src': ["'self'"],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
    const second = await rawRequest(`${server.url}/login`, { headers: html });
    expect(directives(second)['style-src']).not.toContain(`'nonce-${nonce}'`);
    expect(second.body.toString()).not.toContain(nonce);
  });

  it('add HSTS and upgrade-insecure-requests when the public address is https', async () => {
    const tls = await startTestServer({ webDist: dist.dir, publicUrl: 'https://chat.example.org' });
    try {
      for (const [label, response] of await Promise.all(everyKindOfResponse(tls.url))) {
        expect(response.headers['strict-transport-security'], label).toBe('max-age=31536000; includeSubDomains');
        expect(directives(response)['upgrade-insecure-requests'], label).toEqual([]);
      }
    } finally {
      await tls.close();
    }
  });
});
