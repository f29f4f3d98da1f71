/**
 * deploy/nginx.conf (with nginx-api.conf) in front of the API, as docker-compose.yml runs
 * it, in Debian's nginx: the API's compressed answers pass through unchanged, WebSockets
 * open, the client's address cannot be forged, oversized bodies get the API's own answer.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/config/env.js';
import { LOGIN, registerUser } from './factories.js';
import { refusal, upload } from './media.js';
import { asTestServer, remoteApi, type RemoteApi } from './processes.js';
import { startTestServer, type GraphQLResponse, type TestServer } from './server.js';
import { makeWebDist, rawRequest, type RawResponse, type WebDist } from './web-dist.js';

const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** `text` with every `[from, to]` replaced (each occurrence), failing when `from` is not there: the test must follow the file. */
function substitute(text: string, replacements: [string, string][]): string {
  return replacements.reduce((result, [from, to]) => {
    expect(result, `"${from}" in the nginx configuration`).toContain(from);
    return result.replaceAll(from, to);
  }, text);
}

/** Starts nginx with the deploy/ configuration, pointed at `apiPort`, on a port of its own. */
async function startNginx(dir: string, apiPort: number): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const deploy = path.join(repoRoot, 'deploy');
  await writeFile(
    path.join(dir, 'api.conf'),
    substitute(await readFile(path.join(deploy, 'nginx-api.conf'), 'utf8'), [['http://api:4000', `http://127.0.0.1:${apiPort}`]]),
  );
  await writeFile(
    path.join(dir, 'site.conf'),
    substitute(await readFile(path.join(deploy, 'nginx.conf'), 'utf8'), [
      ['listen 80;', `listen 127.0.0.1:${port};`],
      ['/etc/nginx/dash/api.conf', path.join(dir, 'api.conf')],
    ]),
  );
  await mkdir(path.join(dir, 'temp'));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${dir}/temp/${kind};`).join(' ');
  await writeFile(
    path.join(dir, 'main.conf'),
    // At `notice`, nginx says when its workers start: by then it listens.
    `daemon off; pid ${dir}/nginx.pid; error_log stderr notice; events {} http { access_log off; ${temp} include ${dir}/site.conf; }`,
  );
  const config = ['-p', dir, '-e', 'stderr', '-c', path.join(dir, 'main.conf')];
  const check = spawnSync(nginx!, ['-t', ...config], { encoding: 'utf8' });
  expect(check.status, check.stderr).toBe(0);
  const child = spawn(nginx!, config, { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push(line);
      if (line.includes('start worker process')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`nginx exited with ${code}:\n${lines.join('\n')}`)));
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

let dir: string;
let webDist: WebDist;
let api: TestServer;
let proxy: { url: string; process: ChildProcess } | undefined;
let viaProxy: RemoteApi & { close(): Promise<void> };

/** The same request straight to the API and through nginx. */
function bothWays(pathname: string, request: Parameters<typeof rawRequest>[1]): Promise<[RawResponse, RawResponse]> {
  return Promise.all([rawRequest(`${api.url}${pathname}`, request), rawRequest(`${proxy!.url}${pathname}`, request)]);
}

describe.skipIf(!nginx)('deploy/nginx.conf in front of the API', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dash-nginx-'));
    // nginx's workers (nobody, when the tests run as root) buffer request bodies in there.
    await chmod(dir, 0o755);
    webDist = await makeWebDist();
    api = await startTestServer({ webDist: webDist.dir }, { TRUST_PROXY: '1' });
    proxy = await startNginx(dir, Number(new URL(api.url).port));
    viaProxy = remoteApi(proxy.url);
  });

  afterAll(async () => {
    await viaProxy?.close();
    if (proxy) {
      const exited = once(proxy.process, 'exit');
      proxy.process.kill();
      await exited;
    }
    await api?.close();
    await webDist?.remove();
    await rm(dir, { recursive: true, force: true });
  });

  it('passes precompressed assets through byte for byte, with their headers', async () => {
    const [direct, proxied] = await bothWays(webDist.asset.url, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(proxied.status).toBe(200);
    expect(proxied.headers['content-encoding']).toBe(direct.headers['content-encoding']);
    expect(proxied.headers.vary).toBe(direct.headers.vary);
    expect(proxied.body.equals(direct.body)).toBe(true);
  });

  it('leaves compressing GraphQL answers to the API', async () => {
    const [direct, proxied] = await bothWays('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ query: '{ __schema { types { name description } } }' }),
    });
    expect([direct.status, proxied.status]).toEqual([200, 200]);
    expect(proxied.headers['content-encoding']).toBe(direct.headers['content-encoding']);
    expect(proxied.headers.vary).toBe(direct.headers.vary);
  });

  it('opens graphql-ws sockets', async () => {
    const user = await registerUser(asTestServer(viaProxy));
    const socket = viaProxy.socket({ token: user.token });
    const outcome = await Promise.race([socket.connected.then(() => 'connected'), socket.closed.then(({ code }) => `closed with ${code}`)]);
    expect(outcome).toBe('connected');
  });

  it('gives the API the address nginx saw, whatever the client claims', async () => {
    const user = await registerUser(asTestServer(viaProxy));
    const forged = { 'x-forwarded-for': '203.0.113.9' };
    const signedIn = await viaProxy.gql<{ login: { token: string } }>(LOGIN, { input: { login: user.username, password: user.password } }, undefined, forged);
    const sessions = await viaProxy.gql<{ sessions: { ip: string; current: boolean }[] }>('{ sessions { ip current } }', {}, signedIn.data!.login.token, forged);
    expect(sessions.data?.sessions.find((session) => session.current)?.ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('keeps /metrics from the public, however the path is spelled', async () => {
    for (const pathname of ['/metrics', '/METRICS', '/metrics/', '//metrics', '/%6Detrics', '/metrics?name[]=x']) {
      const [direct, proxied] = await bothWays(pathname, {});
      expect(proxied.status, pathname).toBe(404);
      if (['/metrics', '/METRICS', '/metrics/'].includes(pathname)) expect(direct.status, `${pathname} straight to the API`).toBe(200);
    }
  });

  it("lets the API refuse bodies past its 1 MB limit with its own code, and stops larger ones itself", async () => {
    const post = (bytes: number) => rawRequest(`${proxy!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(bytes) } }),
    });
    expect((await post(1000 * 1024)).status).toBe(200);
    const tooLarge = await post(1024 * 1024);
    expect(tooLarge.status).toBe(413);
    expect((JSON.parse(tooLarge.body.toString()) as GraphQLResponse).errors?.[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const huge = await post(2 * 1024 * 1024);
    expect(huge.status).toBe(413);
    expect(huge.body.toString(), 'answered by nginx').toContain('<center>nginx</center>');
  });

  it('passes uploads past the 2 MB backstop on to the API, which answers them', async () => {
    const user = await registerUser(asTestServer(viaProxy));
    const bytes = randomBytes(3 * 1024 * 1024);
    const stored = await upload(proxy!.url, user.token, 'file', bytes, 'big.bin');
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ purpose: 'FILE', bytes: bytes.length, name: 'big.bin' });
    // And the API's own limit still speaks for itself through nginx: a sticker of 3 MB is refused with its code.
    const refused = await upload(proxy!.url, user.token, 'sticker', bytes, 'big.png', 'image/png');
    expect(refusal(refused)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    // And it is served back through nginx at its signed URL.
    const served = await rawRequest(`${proxy!.url}${stored.body.url}`, {});
    expect(served.status).toBe(200);
    expect(served.body.equals(bytes)).toBe(true);
  });
});
