/**
 * `/metrics` for Prometheus, and what feeds core/metrics.ts from the HTTP side: request
 * and GraphQL operation durations, and deliveries as graphql-ws writes them. With a token
 * configured, `/metrics` answers only `Authorization: Bearer <token>`; with metrics off, it
 * is a 404 like any path that is not there.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import compression from 'compression';
import type { Express, RequestHandler } from 'express';
import type { ExecutionResult } from 'graphql';
import type { EventBus } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Metrics } from '../core/metrics.js';
import { eventOf } from '../modules/events/events.sharing.js';
import { bearerToken } from './bearer.js';

export interface MetricsRouteOptions {
  /** Absent when metrics are off. */
  metrics: Metrics | undefined;
  /** METRICS_TOKEN: required as a Bearer token when set. */
  token: string | undefined;
  logger: Logger;
}

/** Mounts `/metrics`; mount it before the web client, which would answer a browser with the app. */
export function serveMetrics(app: Express, { metrics, token, logger }: MetricsRouteOptions): void {
  if (!metrics) {
    app.all('/metrics', (_req, res) => void res.status(404).type('text').send('Not found'));
    return;
  }
  const expected = token === undefined ? undefined : digest(token);
  // Prometheus asks for gzip; 200 operation names make a few hundred kilobytes of text.
  app.get('/metrics', compression(), async (req, res) => {
    if (expected && !matches(bearerToken(req.headers.authorization), expected)) {
      logger.debug({ ip: req.ip }, 'refused /metrics: no token or a wrong one');
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').type('text').send('Unauthorized');
      return;
    }
    const text = await metrics.text();
    res.set({ 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' }).send(text);
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Compares digests, which have one length: the time taken says nothing of the token, its length included. */
function matches(given: string | null, expected: Buffer): boolean {
  return given !== null && timingSafeEqual(digest(given), expected);
}

/** Routes named in `dash_http_request_duration_seconds`; every other path is "other", so clients cannot add series. */
const ROUTES = new Set(['/graphql', '/healthz', '/readyz', '/metrics', '/playground']);

export function routeOf(path: string): string {
  if (ROUTES.has(path)) return path;
  return path.startsWith('/assets/') ? '/assets' : 'other';
}

/** Times every HTTP request, from its arrival to the end of its answer. */
export function timeRequests(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    // Read now: routers mounted on a path rewrite req.url while they run.
    const route = routeOf(req.path);
    res.once('finish', () => metrics.httpRequestAnswered(req.method, route, res.statusCode, (performance.now() - start) / 1000));
    next();
  };
}

/** Times GraphQL operations over HTTP, by operation name and type. */
export function timeOperations<TContext extends object>(metrics: Metrics): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const start = performance.now();
      return {
        async willSendResponse({ operation, request }) {
          // The resolved operation's name; without one (the document did not parse), the name the client sent.
          const name = operation ? operation.name?.value : request.operationName;
          metrics.operationAnswered(name, operation?.operation, (performance.now() - start) / 1000);
        },
      };
    },
  };
}

/** For the WebSocket transport's `onNextWritten`: counts each event written to a subscriber and its lag. */
export function countDeliveries(metrics: Metrics, bus: EventBus): (result: ExecutionResult) => void {
  return (result) => {
    const event = eventOf(result);
    if (event) metrics.eventDelivered(event.type, bus.publishedAt(event));
  };
}
