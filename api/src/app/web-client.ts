/**
 * The built web client (web/dist) at `/`: assets as the build precompressed them, the
 * client's own routes answered by index.html, anything else 404.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import type express from 'express';
import expressStaticGzip from 'express-static-gzip';
import type { Logger } from '../core/logger.js';
import { cspNonce } from './security-headers.js';

/** Vite's `html.cspNonce` placeholder in the built index.html (web/vite.config.ts). */
const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/** Serves web/dist; mount it after every other route, as it answers 404 for what nothing else took. */
export function serveWebClient(app: express.Express, dist: string, logger: Logger): void {
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ dist }, 'web client is not built (npm run build); serving the API only');
    app.get('/', (_req, res) => {
      res.type('text').send('Dash Messenger API. The web client is not built: run `npm run build`.');
    });
    app.use(notFound);
    return;
  }
  app.use(async (req, res, next) => {
    if (!isClientRoute(req)) return next();
    // The same path is the app to a browser and a 404 to anything else (fetch, curl: */*).
    res.vary('Accept');
    if (!/\btext\/html\b/i.test(req.get('accept') ?? '')) return next();
    // Read each time, so a rebuild while the server runs is served without a restart.
    const page = await readFile(index, 'utf8');
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(page.replaceAll(NONCE_PLACEHOLDER, cspNonce(res)));
  });
  // A template (its nonce is filled in for each response), never a file to download.
  app.all('/index.html', notFound);
  app.use(
    expressStaticGzip(dist, {
      enableBrotli: true,
      // Brotli whenever the browser takes it: 15% smaller than gzip for our scripts, 40% for Vuetify's CSS.
      orderPreference: ['br', 'gzip'],
      index: false,
      serveStatic: { index: false, redirect: false, maxAge: '1h', setHeaders: immutableAssets },
    }),
  );
  app.use(notFound);
}

/** Could be one of the client's routes: a GET of a path outside /assets without a file extension. */
function isClientRoute(req: express.Request): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/assets/') && path.posix.extname(req.path) === '';
}

function notFound(_req: express.Request, res: express.Response): void {
  res.status(404).type('text').send('Not found');
}

function immutableAssets(res: http.ServerResponse, file: string): void {
  if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
}
