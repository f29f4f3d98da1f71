/**
 * The real API as a child process (`node --import tsx api/src/main.ts`, as `npm start`
 * runs it, or the compiled build), for tests that need what an in-process server cannot
 * show: start-up, a clean stop, several instances sharing PostgreSQL and Redis.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Client } from 'graphql-ws';
import { repoRoot } from '../src/config/env.js';
import { openSocket, type GraphQLResponse, type TestServer, type TestSocket } from './server.js';

export interface ApiProcessOptions {
  /** The process's environment, on top of PATH and HOME (nothing else is inherited). */
  env: Record<string, string>;
  /** @default 0: a free port chosen by the system, read back from the start-up log */
  port?: number;
  /** Node's arguments. @default the sources through tsx: `--import tsx api/src/main.ts` */
  args?: string[];
  /** @default the api folder */
  cwd?: string;
}

/** A client of an API at a bare URL: the part of TestServer that the factories and messenger helpers use. */
export type RemoteApi = Pick<TestServer, 'url' | 'wsUrl' | 'gql' | 'socket'>;

export interface ApiProcess extends RemoteApi {
  port: number;
  /** The process id, to read its memory from /proc. */
  pid: number;
  /** Every line the process wrote to stdout or stderr so far (JSON log lines). */
  logs: string[];
  /** Closes the sockets opened through `socket()`, sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

const TEST_SECRET_KEY = Buffer.alloc(32, 'process-secret').toString('base64');
const MAIN = path.join(repoRoot, 'api', 'src', 'main.ts');
const LISTENING = 'is listening on';

/** Starts the API and resolves once it logs that it listens; rejects with its logs when it exits first. */
export async function startApi({ env, port = 0, args = ['--import', 'tsx', MAIN], cwd = path.join(repoRoot, 'api') }: ApiProcessOptions): Promise<ApiProcess> {
  const child = spawn(process.execPath, args, {
    cwd,
    // ENV_FILE empty: a developer's .env does not reach the process under test.
    // SECRET_KEY: production with PostgreSQL refuses to start without one; a test may set its own.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', ENV_FILE: '', SECRET_KEY: TEST_SECRET_KEY, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close' rather than 'exit': by then every line of its output has been read.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const logs: string[] = [];
  const listening = new Promise<number>((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        logs.push(line);
        if (!line.includes(LISTENING)) return;
        const listeningOn = listeningPort(line);
        if (listeningOn) resolve(listeningOn);
        else reject(new Error(`no port in the start-up line: ${line}`));
      });
    }
  });
  const actualPort = await Promise.race([
    listening,
    exited.then((code) => Promise.reject(new Error(`the API exited with ${code} before listening:\n${logs.join('\n')}`))),
  ]).catch((error: unknown) => {
    child.kill('SIGTERM');
    throw error;
  });

  let stopping = false;
  // Rejects only when the process dies on its own: requests and connections then fail with its logs.
  const crashed = exited.then((code) =>
    stopping ? new Promise<never>(() => {}) : Promise.reject(new Error(`the API on port ${actualPort} exited with ${code}:\n${logs.join('\n')}`)),
  );
  crashed.catch(() => {}); // reported by the requests and connections that race it
  const { close: closeSockets, ...api } = remoteApi(`http://127.0.0.1:${actualPort}`, crashed);
  return {
    ...api,
    port: actualPort,
    pid: child.pid!,
    logs,
    async stop() {
      stopping = true;
      await closeSockets();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The port from the start-up line, `{"port":43117,…,"msg":"Dash Messenger is listening on …"}`. */
function listeningPort(line: string): number | undefined {
  try {
    const { port } = JSON.parse(line) as { port?: unknown };
    return typeof port === 'number' ? port : undefined;
  } catch {
    return undefined;
  }
}

/**
 * HTTP and graphql-ws clients of the API at `url`, as TestServer offers them for an
 * in-process server. Requests and connections fail with `crashed`'s error if it rejects first.
 */
export function remoteApi(url: string, crashed: Promise<never> = new Promise(() => {})): RemoteApi & { close(): Promise<void> } {
  const wsUrl = `${url.replace(/^http/, 'ws')}/graphql`;
  const clients: Client[] = [];
  return {
    url,
    wsUrl,
    async gql(query, variables, token, headers = {}) {
      const request = fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const response = await Promise.race([request, crashed]);
      return (await response.json()) as GraphQLResponse<never>;
    },
    socket(connectionParams): TestSocket {
      const socket = openSocket(wsUrl, connectionParams);
      clients.push(socket.client);
      return { ...socket, connected: Promise.race([socket.connected, crashed]) };
    },
    async close() {
      await Promise.all(clients.splice(0).map((client) => client.dispose()));
    },
  };
}

/**
 * The factories and messenger helpers are typed for an in-process TestServer but only
 * call `gql` and `socket`, which a RemoteApi has.
 */
export function asTestServer(api: RemoteApi): TestServer {
  return api as TestServer;
}
