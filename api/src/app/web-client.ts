/** The built web client (web/dist) at `/`, with the client's own routes answered by index.html. */
import { existsSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import express from 'express';
import type { Logger } from '../core/logger.js';

/** Serves web/dist with a fallback to index.html for the client's own routes. */
export function serveWebClient(app: express.Express, dist: string, logger: Logger): void {
  const index = path.join(dist, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ dist }, 'web client is not built (npm run build); serving the API only');
    app.get('/', (_req, res) => {
      res.type('text').send('Dash Messenger API. The web client is not built: run `npm run build`.');
    });
    return;
  }
  app.use(express.static(dist, { index: false, maxAge: '1h', setHeaders: immutableAssets }));
  app.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

function immutableAssets(res: http.ServerResponse, file: string): void {
  if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
}
