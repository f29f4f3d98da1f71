import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/server.js';
import { makeWebDist, rawRequest, type WebDist } from '../../test/web-dist.js';

let server: TestServer;
let dist: WebDist;
beforeAll(async () => {
  dist = await makeWebDist();
  server = await startTestServer({ webDist: dist.dir });
});
afterAll(async () => {
  await server.close();
  await dist.remove();
});

/** What Chromium sends when it navigates. */
const navigation = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('web client', () => {
  it('answers a browser with index.html at / and for client routes, never cached, its nonce filled in', async () => {
    for (const route of ['/', '/login', '/chats/123']) {
      const response = await fetch(`${server.url}${route}`, { headers: navigation });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const html = await response.text();
      expect(html).toContain('<div id="app">');
      expect(html).not.toContain('__CSP_NONCE__');
    }
  });

  it('answers 404, not the app, for a missing file and for what does not ask for HTML', async () => {
    const missing = ['/assets/nonexistent.js', '/assets/nonexistent', '/favicon.png', '/robots.txt', '/index.html', '/assets/'];
    for (const route of missing) {
      const response = await fetch(`${server.url}${route}`, { headers: navigation });
      expect({ route, status: response.status }).toEqual({ route, status: 404 });
      expect(await response.text()).not.toContain('<div id="app">');
    }
    for (const accept of ['*/*', 'application/json']) {
      const response = await fetch(`${server.url}/api/v1/users`, { headers: { accept } });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).not.toContain('text/html');
      expect(response.headers.get('vary')).toContain('Accept');
    }
    expect((await fetch(`${server.url}/login`, { method: 'POST', headers: navigation })).status).toBe(404);
  });

  it('sends an asset as the build compressed it, brotli first, with long caching', async () => {
    const { url, content } = dist.asset;
    const br = await rawRequest(`${server.url}${url}`, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
    const gzip = await rawRequest(`${server.url}${url}`, { headers: { 'accept-encoding': 'gzip' } });
    const plain = await rawRequest(`${server.url}${url}`);
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body)).toEqual(content);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body)).toEqual(content);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toEqual(content);
    for (const response of [br, gzip, plain]) {
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/javascript; charset=utf-8$/i);
      expect(response.headers['vary']).toContain('Accept-Encoding');
      expect(Number(response.headers['content-length'])).toBe(response.body.length);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect(br.body.length).toBeLessThan(content.length / 4);
    // Each encoding is its own representation: a cache must not answer one with another's validator.
    expect(new Set([br, gzip, plain].map((response) => response.headers.etag)).size).toBe(3);
  });

  it('caches files outside /assets (their names carry no hash) for an hour only', async () => {
    const response = await fetch(`${server.url}/favicon.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
  });
});
