/**
 * What the image runs (Dockerfile), short of Docker: the API compiled by its build script,
 * on the production dependencies alone (scripts/install-production.sh), laid out as the
 * image's /app, started with NODE_ENV=production on a new database.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/config/env.js';
import { createDatabase, dropDatabase } from './databases.js';
import { login, registerUser } from './factories.js';
import { asTestServer, startApi, type ApiProcess } from './processes.js';
import { makeWebDist, rawRequest } from './web-dist.js';

const ENTRY = path.join('api', 'dist', 'api', 'src', 'main.js');

/** Runs a command to the end; npm's own variables stay out, or npm would act on the checkout. */
async function run(command: string, args: string[], cwd: string): Promise<void> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  await promisify(execFile)(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
}

/** The image's /app: package files, compiled API, production node_modules, migrations, drawings, web/dist. */
async function stageImage(stage: string): Promise<void> {
  await mkdir(path.join(stage, 'api'));
  const webDist = await makeWebDist();
  await Promise.all([
    copyFile(path.join(repoRoot, 'package.json'), path.join(stage, 'package.json')),
    copyFile(path.join(repoRoot, 'package-lock.json'), path.join(stage, 'package-lock.json')),
    copyFile(path.join(repoRoot, 'api', 'package.json'), path.join(stage, 'api', 'package.json')),
    cp(path.join(repoRoot, 'prisma', 'migrations'), path.join(stage, 'prisma', 'migrations'), { recursive: true }),
    cp(path.join(repoRoot, 'assets'), path.join(stage, 'assets'), { recursive: true }),
    cp(webDist.dir, path.join(stage, 'web', 'dist'), { recursive: true }).finally(() => webDist.remove()),
  ]);
  await Promise.all([
    // --noCheck: the same JavaScript without checking the types again; the typecheck step
    // (scripts/test.mjs) has checked them, and the image's own build does.
    run('npm', ['run', 'build', '-w', 'api', '--', '--outDir', path.join(stage, 'api', 'dist'), '--noCheck'], repoRoot),
    run('sh', [path.join(repoRoot, 'scripts', 'install-production.sh'), '--prefer-offline'], stage),
  ]);
}

let stage: string;
let databaseUrl: string;
let api: ApiProcess;

beforeAll(async () => {
  stage = await mkdtemp(path.join(tmpdir(), 'dash-image-'));
  databaseUrl = await createDatabase('image');
  await stageImage(stage);
  api = await startApi({
    args: [ENTRY],
    cwd: stage,
    env: { NODE_ENV: 'production', DATABASE_URL: databaseUrl, LOG_LEVEL: 'info', DATA_DIR: path.join(stage, 'data') },
  });
}, 240_000);

afterAll(async () => {
  if (api) expect(await api.stop(), api.logs.join('\n')).toBe(0);
  if (databaseUrl) await dropDatabase(databaseUrl);
  if (stage) await rm(stage, { recursive: true, force: true });
});

describe('the compiled API on production dependencies (the image)', () => {
  it('carries no compiler, test runner or dev tool', () => {
    for (const tool of ['tsx', 'typescript', 'prisma', 'vitest', 'vite', 'esbuild']) {
      expect(existsSync(path.join(stage, 'node_modules', tool)), tool).toBe(false);
    }
  });

  it('finds its migrations, the sticker drawings and the web client from the compiled layout, and is ready', async () => {
    expect(api.logs.join('\n')).toContain('applied migrations');
    expect(api.logs.join('\n')).toContain('built-in sticker pack: brought up to date');
    expect(await (await fetch(`${api.url}/readyz`)).json()).toEqual({ status: 'ready', database: 'postgres' });
    const page = await rawRequest(`${api.url}/chats`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<div id="app">');
  });

  it('registers, signs in and opens a subscription socket', async () => {
    const server = asTestServer(api);
    const user = await registerUser(server);
    const signedIn = await login(server, user.username, user.password);
    expect(signedIn.data?.login.me.username).toBe(user.username);
    await api.socket({ token: signedIn.data!.login.token }).connected;
  });
});
