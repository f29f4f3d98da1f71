/**
 * A built web client in miniature (what `vite build` writes, see web/vite.config.ts) and a
 * plain HTTP request that shows the bytes as sent: fetch would undo Content-Encoding.
 */
import http from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export interface WebDist {
  dir: string;
  /** A hashed script under /assets, with its .br and .gz copies beside it. */
  asset: { url: string; content: Buffer };
  remove(): Promise<void>;
}

/**
 * index.html with Vite's nonce placeholder, favicon.svg, one precompressed script, and the
 * playground's page (web/vite.playground.config.ts) with its placeholders and a script.
 */
export async function makeWebDist(): Promise<WebDist> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dash-web-'));
  await mkdir(path.join(dir, 'assets'));
  await mkdir(path.join(dir, 'playground', 'assets'), { recursive: true });
  await writeFile(
    path.join(dir, 'index.html'),
    '<!doctype html><title>Dash</title><meta property="csp-nonce" nonce="__CSP_NONCE__">' +
      '<script type="module" src="/assets/app-1234.js" nonce="__CSP_NONCE__"></script><div id="app"></div>',
  );
  await writeFile(
    path.join(dir, 'playground', 'index.html'),
    '<!doctype html><title>Dash GraphQL playground</title><meta name="graphql-introspection" content="__INTROSPECTION__">' +
      '<meta property="csp-nonce" nonce="__CSP_NONCE__"><script type="module" src="/playground/assets/main-1234.js" nonce="__CSP_NONCE__"></script>' +
      '<div id="playground"></div>',
  );
  await writeFile(path.join(dir, 'playground', 'assets', 'main-1234.js'), 'console.log("playground");\n');
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const content = Buffer.from(Array.from({ length: 200 }, (_, i) => `console.log("line ${i}");\n`).join(''));
  const file = path.join(dir, 'assets', 'app-1234.js');
  await writeFile(file, content);
  await writeFile(`${file}.br`, brotliCompressSync(content));
  await writeFile(`${file}.gz`, gzipSync(content));
  return { dir, asset: { url: '/assets/app-1234.js', content }, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as it came over the wire, still encoded. */
  body: Buffer;
}

/** One HTTP request with exactly these headers (fetch adds its own Accept-Encoding and decodes). */
export function rawRequest(url: string, { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
