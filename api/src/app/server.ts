/**
 * One HTTP server on one port: GraphQL over HTTP and graphql-ws subscriptions on
 * /graphql, health checks, the GraphQL playground, and the built web client at /.
 */
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import compression from 'compression';
import express from 'express';
import type { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import proxyAddr from 'proxy-addr';
import type { WebSocket } from 'ws';
import type { Config } from '../config/env.js';
import { withLazyLoaders, type Context } from './context.js';
import type { Database } from '../core/db/database.js';
import { DocumentCache, isErrors } from '../core/documents.js';
import { formatError } from '../core/errors.js';
import { nulVariableError } from '../core/input-guards.js';
import { operationRules } from '../core/limits.js';
import type { Logger } from '../core/logger.js';
import { createAppPubSub, Topic } from '../core/pubsub.js';
import { createMailer } from '../core/mailer.js';
import { Metrics } from '../core/metrics.js';
import { createCommandClient } from '../core/redis.js';
import { loadSecretKey } from '../core/secrets.js';
import type { ClientInfo } from '../modules/accounts/sessions.service.js';
import { MediaSweepRepository } from '../modules/media/media.sweep.repository.js';
import { MediaSweeper } from '../modules/media/media.sweeper.js';
import { createSharedSubscribe } from '../modules/events/events.sharing.js';
import { buildAppSchema } from './schema.js';
import { createServices, type Services } from './services.js';
import { CloseCode, SocketRegistry } from './sockets.js';
import { bearerToken } from './bearer.js';
import { httpOperationGuards } from './graphql-guards.js';
import { serveHealth } from './health.js';
import { serveMedia } from './media.js';
import { finalErrors, graphqlBodyErrors } from './http-errors.js';
import { countDeliveries, serveMetrics, timeOperations, timeRequests } from './metrics.js';
import { servePlayground } from './playground.js';
import { securityHeaders } from './security-headers.js';
import { serveWebClient } from './web-client.js';
import { serveGraphQLWebSocket, type GraphQLWebSocketServer, type SocketLimits } from './websocket.js';

export interface AppServer {
  httpServer: http.Server;
  schema: GraphQLSchema;
  services: Services;
  sockets: SocketRegistry;
  webSockets: GraphQLWebSocketServer;
  /** Removes stored media nothing uses any more: every MEDIA_SWEEP_INTERVAL, and when a test says. */
  mediaSweeper: MediaSweeper;
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  close(): Promise<void>;
}

/** What each socket's operations need: where it came from, and its token once signed in. */
interface SocketExtra extends Record<PropertyKey, unknown> {
  client: ClientInfo;
  token: string | null;
}

/** The token a WebSocket client sends in its connection params: `token`, or `Authorization`. */
function connectionToken(params: Readonly<Record<string, unknown>> | undefined): string | null {
  if (typeof params?.token === 'string') return params.token;
  const header = params?.Authorization ?? params?.authorization;
  return typeof header === 'string' ? bearerToken(header) : null;
}

/** Apollo's own messages (start-up, plugin warnings) as JSON lines of our log. */
function apolloLogger(logger: Logger) {
  const apollo = logger.child({ source: 'apollo' });
  return {
    debug: (message: string) => apollo.debug(message),
    info: (message: string) => apollo.info(message),
    warn: (message: string) => apollo.warn(message),
    error: (message: string) => apollo.error(message),
  };
}

/** What tests may set beyond the configuration. */
export interface ServerOptions {
  /** WebSocket bounds other than the defaults (a test that must not race a handshake's deadlines). */
  socketLimits?: Partial<SocketLimits>;
}

export async function createServer(config: Config, db: Database, logger: Logger, options: ServerOptions = {}): Promise<AppServer> {
  const onRedisError = (error: Error) => logger.warn({ err: error }, 'redis connection error');
  const pubSubHandle = createAppPubSub(config.redisUrl, onRedisError);
  const redis = config.redisUrl ? createCommandClient(config.redisUrl, onRedisError) : undefined;
  const secret = await loadSecretKey(config);
  const mailer = createMailer({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, dataDir: config.dataDir, logger });
  const metrics = config.metrics.enabled ? new Metrics() : undefined;
  const services = createServices(config, db.prisma, db.sql, pubSubHandle, redis, logger, { mailer, secret, metrics });
  const schema = await buildAppSchema(pubSubHandle.pubSub);
  const sockets = new SocketRegistry();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders(config));
  if (metrics) app.use(timeRequests(metrics));
  const trust = app.get('trust proxy fn') as Parameters<typeof proxyAddr>[1];
  const clientOf = (req: IncomingMessage): ClientInfo => ({
    ip: proxyAddr(req, trust) ?? null,
    userAgent: req.headers['user-agent'] ?? null,
  });

  const httpServer = http.createServer(app);
  // Idle keep-alive connections stay open longer than a proxy's or a client's pool keeps
  // them (nginx and browsers reuse them for up to a minute): a server that closes first
  // races the next request on that connection, which then fails with ECONNRESET.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const logUnexpected = (cause: unknown) => logger.error({ err: cause }, 'unexpected error in a GraphQL operation');
  const format = (formatted: GraphQLFormattedError, error: unknown) => {
    const answer = formatError(formatted, error, logUnexpected);
    metrics?.errorAnswered(answer.extensions?.code);
    return answer;
  };
  const formatErrors = (errors: readonly GraphQLError[]) => errors.map((error) => format(error.toJSON(), error));

  /**
   * Counts the user online while `socket` is open. The close listener is attached at once, and
   * uncounts only after the count landed (and only if it did: presence lives in Redis with several
   * instances, and a failure to count must not refuse the socket).
   */
  const countPresence = (userId: string, socket: WebSocket) => {
    const counted = services.presence.connected(userId).then(
      () => true,
      (error: unknown) => {
        logger.warn({ err: error }, 'presence update failed');
        return false;
      },
    );
    socket.once('close', () => {
      void counted.then((wasCounted) =>
        wasCounted ? services.presence.disconnected(userId).catch((error: unknown) => logger.warn({ err: error }, 'presence update failed')) : undefined,
      );
    });
  };

  const rules = operationRules(config);
  const documents = new DocumentCache(schema, rules);
  const webSockets = serveGraphQLWebSocket<SocketExtra>({
    httpServer,
    path: '/graphql',
    logger,
    clientIp: (request) => clientOf(request).ip ?? 'unknown',
    perIp: { sockets: config.webSocketLimits.socketsPerIp, handshakes: config.webSocketLimits.handshakesPerIp },
    // What the socket's operations need of the upgrade request is kept; the request itself
    // (headers and all, ~1 KB) is not held for the socket's life.
    extraOf: (request) => ({ client: clientOf(request), token: null }),
    ...(options.socketLimits ? { limits: options.socketLimits } : {}),
    ...(metrics ? { onNextWritten: countDeliveries(metrics, services.bus) } : {}),
    server: {
      schema,
      subscribe: createSharedSubscribe(schema),
      onSubscribe(_ctx, _id, payload) {
        const { text, checked } = documents.get(payload.query);
        if (isErrors(checked)) return checked;
        const nul = nulVariableError(payload.variables);
        if (nul) return [nul];
        // graphql-ws keeps the payload as long as the subscription lives: one copy of the text for all.
        (payload as { query: string }).query = text;
        return { schema, document: checked, operationName: payload.operationName, variableValues: payload.variables };
      },
      async onConnect(ctx) {
        const token = connectionToken(ctx.connectionParams);
        const { client, socket } = ctx.extra;
        const viewer = token ? await services.sessions.authenticate(token, client) : null;
        if (!token || !viewer) {
          socket.close(CloseCode.Unauthorized, 'Unauthorized');
          return false;
        }
        // The client may have gone while its session was checked: then nothing is counted for it,
        // since no 'close' would come to uncount it.
        if (socket.readyState !== socket.OPEN) return false;
        ctx.extra.token = token;
        sockets.add(viewer.sessionId, socket);
        countPresence(viewer.userId, socket);
        return true;
      },
      // Each operation re-checks the session (and slides its expiry), so an ended one cannot be used.
      async context(ctx): Promise<Context> {
        const { token, client, socket } = ctx.extra;
        const viewer = token ? await services.sessions.authenticate(token, client) : null;
        if (!viewer) socket.close(CloseCode.Unauthorized, 'Session ended');
        // A subscription's loaders are made for each event; an idle socket holds none.
        return withLazyLoaders({ viewer, ...client, services }, () => services.createLoaders(viewer?.userId ?? null));
      },
      // The same stable error codes as over HTTP.
      onError: (_ctx, _id, _payload, errors) => formatErrors(errors),
      onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: formatErrors(result.errors) } : undefined),
    },
  });

  const apollo = new ApolloServer<Context>({
    schema,
    // Allowed here and refused by our own rule when the host turns it off (`rules`), on both paths.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGINT/SIGTERM and stops everything in order.
    stopOnTerminationSignals: false,
    validationRules: rules,
    formatError: format,
    logger: apolloLogger(logger),
    plugins: [
      httpOperationGuards<Context>(),
      ...(metrics ? [timeOperations<Context>(metrics)] : []),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; the plugin would wrap every field's resolver to collect them.
      ApolloServerPluginCacheControlDisabled(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await webSockets.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  serveHealth(app, { db, pubSub: pubSubHandle, redis, logger });
  metrics?.watch({
    webSockets: () => webSockets.wss.clients.size,
    subscriptions: () => services.bus.subscriptions,
    handshakes: () => webSockets.handshakes(),
    pool: db.poolUse,
  });
  serveMetrics(app, { metrics, token: config.metrics.token, logger });

  // GraphiQL's page: at /playground, and at /graphql for a browser's navigation, before Apollo.
  servePlayground(app, config, logger);

  // Answers of a kilobyte or more (history pages, the chat list) shrink several times; the
  // WebSocket's upgrade never passes through Express, so its frames are not compressed.
  app.use('/graphql', compression({ threshold: 1024 }));
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    graphqlBodyErrors(logger),
    expressMiddleware(apollo, {
      async context({ req }): Promise<Context> {
        const client = clientOf(req);
        const token = bearerToken(req.headers.authorization);
        const viewer = token ? await services.sessions.authenticate(token, client) : null;
        return withLazyLoaders({ viewer, ...client, services }, () => services.createLoaders(viewer?.userId ?? null));
      },
    }),
  );

  // Storage out of reach at start does not stop the API: messages go on, uploads fail until it answers.
  await services.media.storage.prepare().then(
    () => logger.info({ storage: services.media.storage.kind }, 'media storage ready'),
    (error: unknown) => logger.warn({ err: error, storage: services.media.storage.kind }, 'media storage not ready: uploads fail until it answers'),
  );
  serveMedia(app, {
    media: services.media,
    authenticate: (req) => {
      const token = bearerToken(req.headers.authorization);
      return token ? services.sessions.authenticate(token, clientOf(req)) : Promise.resolve(null);
    },
    dataDir: config.dataDir,
    logger,
  });

  serveWebClient(app, config.webDist, logger);
  app.use(finalErrors(logger));

  // Ended sessions, announced by any instance, close their sockets here.
  const endedSessions = pubSubHandle.pubSub.subscribe(Topic.SessionsEnded);
  const endedLoop = (async () => {
    for await (const { sessionIds } of endedSessions) {
      services.sessions.forget(sessionIds);
      sockets.closeSessions(sessionIds);
    }
  })();
  // Sessions that ended while the pub/sub was down were announced to no one here: look them up.
  const stopRecheck = pubSubHandle.onResumed(() => {
    services.sessions.ended(sockets.sessionIds()).then(
      (ended) => sockets.closeSessions(ended),
      (error: unknown) => logger.warn({ err: error }, 'could not recheck sessions after the pub/sub came back'),
    );
  });

  const purgeTimer = setInterval(() => {
    services.sessions
      .purgeExpired()
      .then((count) => count > 0 && logger.info({ count }, 'purged expired sessions'))
      .catch((error: unknown) => logger.error({ err: error }, 'session purge failed'));
    services.emailTokens
      .purge()
      .then((count) => count > 0 && logger.info({ count }, 'purged used and expired email tokens'))
      .catch((error: unknown) => logger.error({ err: error }, 'email token purge failed'));
  }, config.sessionPurgeIntervalSeconds * 1000);
  purgeTimer.unref();

  // Every instance sweeps on its own schedule: sweeps at once share the work (media.sweeper.ts).
  const mediaSweeper = new MediaSweeper(new MediaSweepRepository(db.prisma), services.media.storage, config.media.unusedAfterSeconds, logger);
  const sweepTimer =
    config.media.sweepIntervalSeconds > 0
      ? setInterval(() => {
          mediaSweeper.sweep().catch((error: unknown) => logger.error({ err: error }, 'media sweep failed'));
        }, config.media.sweepIntervalSeconds * 1000)
      : undefined;
  sweepTimer?.unref();

  return {
    httpServer,
    schema,
    services,
    sockets,
    webSockets,
    mediaSweeper,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => resolve((httpServer.address() as AddressInfo).port));
      }),
    async close() {
      clearInterval(purgeTimer);
      clearInterval(sweepTimer);
      await mediaSweeper.settled();
      await webSockets.dispose();
      await apollo.stop();
      stopRecheck();
      await endedSessions.return?.();
      await endedLoop;
      await services.close();
      await pubSubHandle.close();
      redis?.disconnect();
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
