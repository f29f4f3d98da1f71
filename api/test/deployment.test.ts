/**
 * The production setup without a Docker engine: docker-compose.yml (and its TLS variant) as
 * Compose reads them (Debian's docker-compose), checked against what the API's config
 * accepts; the Dockerfile's final stage as written. compiled.test.ts runs what that stage
 * runs, proxy.test.ts runs deploy/nginx.conf.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, repoRoot } from '../src/config/env.js';

const composeBinary = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find(existsSync);
const PASSWORD = 'correcthorsebatterystaple';
const SECRET = Buffer.alloc(32, 3).toString('base64');
const MINIO_PASSWORD = 'minio-password-of-the-test';
const TLS = 'deploy/docker-compose.tls.yml';

interface Service {
  environment?: Record<string, string>;
  healthcheck?: unknown;
  deploy?: { replicas?: number };
  ports?: { published: number; target: number }[];
  volumes?: string[];
}

/** An empty env file, so that a .env beside docker-compose.yml on this machine changes nothing. */
const scratch = mkdtempSync(path.join(tmpdir(), 'dash-compose-'));
const noEnvFile = path.join(scratch, 'empty.env');
writeFileSync(noEnvFile, '');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `docker-compose config` with exactly these variables (and PATH). */
function compose(variables: Record<string, string>, files = ['docker-compose.yml']) {
  const args = [...files.flatMap((file) => ['-f', path.join(repoRoot, file)]), '--env-file', noEnvFile, 'config'];
  return spawnSync(composeBinary!, args, { encoding: 'utf8', env: { PATH: process.env.PATH, ...variables } });
}

function composeConfig(variables: Record<string, string> = { POSTGRES_PASSWORD: PASSWORD, SECRET_KEY: SECRET, MINIO_ROOT_PASSWORD: MINIO_PASSWORD }, files?: string[]): { services: Record<string, Service> } {
  const result = compose(variables, files);
  expect(result.stderr).not.toMatch(/invalid|error/i);
  expect(result.status).toBe(0);
  // docker-compose prints the merged YAML; PyYAML (which docker-compose itself depends on) reads it back.
  return JSON.parse(
    spawnSync('python3', ['-c', 'import sys, yaml, json; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: result.stdout, encoding: 'utf8' }).stdout,
  );
}

describe.skipIf(!composeBinary)('docker-compose.yml', () => {
  it('refuses to start without POSTGRES_PASSWORD or SECRET_KEY, and says where to set them', () => {
    const result = compose({ SECRET_KEY: SECRET });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Set POSTGRES_PASSWORD in \.env/);
    const noSecret = compose({ POSTGRES_PASSWORD: PASSWORD, MINIO_ROOT_PASSWORD: MINIO_PASSWORD });
    expect(noSecret.status).not.toBe(0);
    expect(noSecret.stderr).toMatch(/Set SECRET_KEY in \.env/);
    const noMinio = compose({ POSTGRES_PASSWORD: PASSWORD, SECRET_KEY: SECRET });
    expect(noMinio.status).not.toBe(0);
    expect(noMinio.stderr).toMatch(/Set MINIO_ROOT_PASSWORD in \.env/);
  });

  it('is valid and runs PostgreSQL, Redis, MinIO, two API instances, a proxy and Mailpit, each with a health check', () => {
    const { services } = composeConfig();
    expect(Object.keys(services).sort()).toEqual(['api', 'mailpit', 'minio', 'postgres', 'proxy', 'redis']);
    for (const service of Object.values(services)) expect(service.healthcheck).toBeDefined();
    expect(services.api!.deploy?.replicas).toBe(2);
  });

  it('gives the API an environment that its own config accepts, with PostgreSQL, Redis and one proxy to trust', () => {
    const { services } = composeConfig();
    expect(services.postgres!.environment!.POSTGRES_PASSWORD).toBe(PASSWORD);
    const config = loadConfig(services.api!.environment!);
    expect(config.databaseUrl).toBe(`postgresql://dash:${PASSWORD}@postgres:5432/dash`);
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.nodeEnv).toBe('production');
    expect(config.trustProxy).toBe(1);
    expect(config.publicUrl).toBeUndefined();
    expect(config.secretKey).toEqual(Buffer.from(SECRET, 'base64'));
    expect(config.mail.smtpUrl).toBe('smtp://mailpit:1025');
    // Media in MinIO, with the key MinIO was started with.
    expect(config.media.s3).toEqual({
      bucket: 'dash-media',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      credentials: { accessKeyId: services.minio!.environment!.MINIO_ROOT_USER, secretAccessKey: MINIO_PASSWORD },
      forcePathStyle: true,
    });
    expect(services.minio!.environment!.MINIO_ROOT_PASSWORD).toBe(MINIO_PASSWORD);
  });

  it('keeps /metrics off unless METRICS_TOKEN is set in .env, and then requires it', () => {
    expect(loadConfig(composeConfig().services.api!.environment!).metrics).toEqual({ enabled: false, token: undefined });
    const token = 'c'.repeat(64);
    const { services } = composeConfig({ POSTGRES_PASSWORD: PASSWORD, SECRET_KEY: SECRET, MINIO_ROOT_PASSWORD: MINIO_PASSWORD, METRICS_TOKEN: token });
    expect(loadConfig(services.api!.environment!).metrics).toEqual({ enabled: true, token });
  });

  it("mounts configuration files that exist, where nginx's configuration includes them", () => {
    const { services } = composeConfig();
    const mounted = Object.values(services).flatMap((service) => service.volumes ?? []);
    const files = mounted.map((volume) => volume.split(':')[0]!).filter((source) => source.startsWith('/'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(existsSync(file), file).toBe(true);
    const targets = services.proxy!.volumes!.map((volume) => volume.split(':')[1]);
    for (const conf of ['nginx.conf', 'nginx-tls.conf']) {
      const included = [...readFileSync(path.join(repoRoot, 'deploy', conf), 'utf8').matchAll(/include (\S+);/g)].map((match) => match[1]);
      expect(included.length).toBeGreaterThan(0);
      for (const file of included) expect(targets, `${conf} includes ${file}`).toContain(file);
    }
  });

  it('with deploy/docker-compose.tls.yml: nginx on 443 with nginx-tls.conf, and an https PUBLIC_URL (HSTS) it insists on', () => {
    const refused = compose({ POSTGRES_PASSWORD: PASSWORD, SECRET_KEY: SECRET, MINIO_ROOT_PASSWORD: MINIO_PASSWORD }, ['docker-compose.yml', TLS]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/PUBLIC_URL/);

    const { services } = composeConfig({ POSTGRES_PASSWORD: PASSWORD, SECRET_KEY: SECRET, MINIO_ROOT_PASSWORD: MINIO_PASSWORD, PUBLIC_URL: 'https://chat.example.org' }, ['docker-compose.yml', TLS]);
    expect(loadConfig(services.api!.environment!).publicUrl).toBe('https://chat.example.org');
    expect(services.proxy!.ports).toContainEqual(expect.objectContaining({ published: 443, target: 443 }));
    expect(services.proxy!.volumes).toContain(`${path.join(repoRoot, 'deploy', 'nginx-tls.conf')}:/etc/nginx/conf.d/default.conf:ro`);
  });
});

/** The Dockerfile's last stage: its instructions, continuation lines joined. */
function finalStage(): string[] {
  const lines = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8')
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'));
  return lines.slice(lines.findLastIndex((line) => line.startsWith('FROM ')));
}

describe('Dockerfile', () => {
  it('runs the compiled API as the unprivileged node user, with a health check', () => {
    const stage = finalStage();
    expect(stage.filter((line) => line.startsWith('USER '))).toEqual(['USER node']);
    expect(stage.at(-1)).toBe('CMD ["node", "api/dist/api/src/main.js"]');
    expect(stage.find((line) => line.startsWith('HEALTHCHECK'))).toContain('/readyz');
  });

  it('holds what runs and nothing else: production dependencies, compiled API, migrations, drawings (stickers, demo data), web client', () => {
    const copies = finalStage().filter((line) => line.startsWith('COPY '));
    expect(copies).not.toContainEqual(expect.stringMatching(/^COPY (--\S+ )*\. /));
    for (const part of ['node_modules', 'api/dist', 'prisma/migrations', 'assets', 'web/dist']) {
      expect(copies, part).toContainEqual(expect.stringContaining(` ${part}`));
    }
    const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('RUN sh scripts/install-production.sh');
  });

  it("gives DATA_DIR to node, where compose mounts the API's volume", () => {
    const stage = finalStage();
    expect(stage).toContain('ENV DATA_DIR=/data');
    expect(stage).toContain('RUN mkdir /data && chown node:node /data');
    const compose = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('- api-data:/data');
  });

  it('leaves secrets, local data and installed trees out of the build context', () => {
    const ignored = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.env', 'deploy/certs', '.data', '.git']) expect(ignored, entry).toContain(entry);
  });
});
