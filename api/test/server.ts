/**
 * A real API server for tests: the same createServer as production, on a free port,
 * against the run's PostgreSQL database (or one given).
 */
import { inject } from 'vitest';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { loadConfig, type Config } from '../src/config/env.js';
import { openDatabase, type Database } from '../src/core/db/database.js';
import type { DestinationStream } from 'pino';
import { createLogger } from '../src/core/logger.js';
import { createServer, type AppServer, type ServerOptions } from '../src/app/server.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions: { code: string; [key: string]: unknown } }[];
}

export interface TestServer {
  url: string;
  wsUrl: string;
  config: Config;
  db: Database;
  app: AppServer;
  /** POSTs a GraphQL operation; `token` becomes a Bearer header. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, token?: string, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** Runs `work` and counts the SQL statements the server ran meanwhile (run nothing else at the same time). */
  countQueries<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }>;
  /** Opens a graphql-ws client that reports how its socket closed. */
  socket(connectionParams: Record<string, unknown>): TestSocket;
  close(): Promise<void>;
}

export interface TestSocket {
  client: Client;
  /** Resolves once the server acknowledged the connection. */
  connected: Promise<void>;
  /** Resolves with the close code of the first close. */
  closed: Promise<{ code: number; reason: string }>;
}

/** Config for tests: generous rate limits unless a test sets its own. */
export function testConfig(overrides: Partial<Config> = {}, env: Record<string, string> = {}): Config {
  const base = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '1000/1m',
    RATE_LIMIT_LOGIN_PER_IP: '100000/1m',
    RATE_LIMIT_REGISTER_PER_IP: '100000/1m',
    RATE_LIMIT_SEND_PER_ACCOUNT: '100000/1m',
    RATE_LIMIT_SEND_PER_IP: '100000/1m',
    // Every test connects from 127.0.0.1; the tests of these bounds set their own.
    WS_MAX_SOCKETS_PER_IP: '100000',
    WS_MAX_HANDSHAKES_PER_IP: '100000',
    // A fixed secret: no key file is made in the project's data folder.
    SECRET_KEY: Buffer.alloc(32, 'test-secret').toString('base64'),
    RATE_LIMIT_RESET_PER_IP: '100000/1m',
    RATE_LIMIT_MAIL_PER_ACCOUNT: '100000/1m',
    RATE_LIMIT_TWO_FACTOR_PER_ACCOUNT: '100000/1m',
    RATE_LIMIT_USERNAME_CHANGE_PER_ACCOUNT: '100000/1m',
    ...env,
  });
  return { ...base, port: 0, host: '127.0.0.1', databaseUrl: inject('databaseUrl'), dataDir: inject('dataDir'), ...overrides };
}

/** A test server's options: the server's own, and where its log lines go (a test that reads its log sets LOG_LEVEL too). */
export interface TestServerOptions extends ServerOptions {
  log?: DestinationStream;
}

export async function startTestServer(overrides: Partial<Config> = {}, env: Record<string, string> = {}, { log, ...options }: TestServerOptions = {}): Promise<TestServer> {
  const config = testConfig(overrides, env);
  let queries = 0;
  const db = await openDatabase({ ...config, onQuery: () => void queries++ });
  const logger = createLogger({ level: config.logLevel, production: config.nodeEnv === 'production', destination: log });
  const app = await createServer(config, db, logger, options);
  const port = await app.listen();
  const url = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}/graphql`;
  const clients: Client[] = [];

  return {
    url,
    wsUrl,
    config,
    db,
    app,
    async gql(query, variables, token, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<never>;
    },
    async countQueries(work) {
      const before = queries;
      const result = await work();
      return { result, queries: queries - before };
    },
    socket(connectionParams) {
      const socket = openSocket(wsUrl, connectionParams);
      clients.push(socket.client);
      return socket;
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await app.close();
      await db.close();
    },
  };
}

/** Opens a graphql-ws client to `wsUrl` that reports how its socket closed; it never retries. */
export function openSocket(wsUrl: string, connectionParams: Record<string, unknown>): TestSocket {
  let onConnected!: () => void;
  let onClosed!: (close: { code: number; reason: string }) => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {},
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onClosed({ code, reason: String(reason) });
      },
    },
  });
  return { client, connected, closed };
}

/** Runs one query or mutation over a graphql-ws client. */
export function wsQuery<T>(client: Client, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  return new Promise((resolve, reject) => {
    let result: GraphQLResponse<T> | undefined;
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) => (result = value as GraphQLResponse<T>),
        error: reject,
        complete: () => (result ? resolve(result) : reject(new Error('no result'))),
      },
    );
  });
}
