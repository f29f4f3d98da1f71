/**
 * The GraphQL playground (GraphiQL, built by web/vite.playground.config.ts into
 * web/dist/playground): its page at /playground, and at /graphql for a browser that navigates
 * there (an Accept that prefers HTML). Every other request to /graphql goes on to Apollo as
 * before, which refuses a GET without a CSRF preflight header. The page's assets are files of
 * web/dist, served with the web client's. With PLAYGROUND off (production's default),
 * /playground and everything under it is a 404 and /graphql is the API alone.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type express from 'express';
import type { Config } from '../config/env.js';
import type { Logger } from '../core/logger.js';
import { cspNonce, playgroundPolicy } from './security-headers.js';

/** Vite's `html.cspNonce` placeholder, as in the app's index.html (web-client.ts). */
const NONCE_PLACEHOLDER = '__CSP_NONCE__';
/** Where the page learns whether it may introspect (web/playground/index.html). */
const INTROSPECTION_PLACEHOLDER = '__INTROSPECTION__';

/** What /graphql can answer a GET with; a browser's navigation prefers the page. */
const GRAPHQL_GET_TYPES = ['application/graphql-response+json', 'application/json', 'text/html'];

/**
 * Mounts the playground's routes; before /graphql's middleware (so the page is served before
 * Apollo sees the request) and before the web client (which would answer /playground itself).
 */
export function servePlayground(app: express.Express, config: Pick<Config, 'playground' | 'introspection' | 'webDist' | 'publicUrl'>, logger: Logger): void {
  if (!config.playground) {
    app.use('/playground', notFound);
    return;
  }
  const template = path.join(config.webDist, 'playground', 'index.html');
  if (!existsSync(template)) logger.warn({ page: template }, 'the playground is not built (npm run build); /playground answers 404');
  const policy = playgroundPolicy(config);

  /** The page with this response's nonce, or undefined when it is not built. */
  async function page(res: express.Response): Promise<string | undefined> {
    // Read each time, as the app's page is: a rebuild while the server runs is served at once.
    const html = await readFile(template, 'utf8').catch(() => undefined);
    return html?.replaceAll(NONCE_PLACEHOLDER, cspNonce(res)).replaceAll(INTROSPECTION_PLACEHOLDER, config.introspection ? 'on' : 'off');
  }
  function send(req: express.Request, res: express.Response, html: string): void {
    policy(req, res, () => {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(html);
    });
  }

  app.get('/graphql', async (req, res, next) => {
    // The same URL is a page to a browser and the API to everything else (fetch, curl: */*).
    res.vary('Accept');
    if (req.accepts(GRAPHQL_GET_TYPES) !== 'text/html') return next();
    const html = await page(res);
    if (html === undefined) return next();
    send(req, res, html);
  });
  app.get('/playground', async (req, res) => {
    const html = await page(res);
    if (html === undefined) {
      res.status(404).type('text').send('The playground is not built: run `npm run build`.');
      return;
    }
    send(req, res, html);
  });
  // A template (its nonce is filled in for each response), never a file to download.
  app.all('/playground/index.html', notFound);
}

function notFound(_req: express.Request, res: express.Response): void {
  res.status(404).type('text').send('Not found');
}
