/**
 * docker-compose.yml cannot run here (no Docker engine), so it is checked the way
 * Compose reads it (Debian's docker-compose) and against what the tests run for real.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, repoRoot } from '../src/config/env.js';

const composeBinary = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find(existsSync);

function composeConfig(): { services: Record<string, { environment?: Record<string, string>; healthcheck?: unknown; depends_on?: unknown; deploy?: { replicas?: number } }> } {
  const result = spawnSync(composeBinary!, ['-f', path.join(repoRoot, 'docker-compose.yml'), 'config'], { encoding: 'utf8' });
  expect(result.stderr).not.toMatch(/invalid|error/i);
  expect(result.status).toBe(0);
  // docker-compose prints the merged YAML; PyYAML (which docker-compose itself depends on) reads it back.
  return JSON.parse(
    spawnSync('python3', ['-c', 'import sys, yaml, json; print(json.dumps(yaml.safe_load(sys.stdin)))'], { input: result.stdout, encoding: 'utf8' }).stdout,
  );
}

describe.skipIf(!composeBinary)('docker-compose.yml', () => {
  it('is valid and runs PostgreSQL, Redis, two API instances and a proxy, each with a health check', () => {
    const { services } = composeConfig();
    expect(Object.keys(services).sort()).toEqual(['api', 'postgres', 'proxy', 'redis']);
    for (const service of Object.values(services)) expect(service.healthcheck).toBeDefined();
    expect(services.api!.deploy?.replicas).toBe(2);
  });

  it('gives the API an environment that its own config accepts, with PostgreSQL and Redis', () => {
    const env = composeConfig().services.api!.environment!;
    const config = loadConfig(env);
    expect(config.databaseUrl).toMatch(/^postgresql:\/\/dash:.*@postgres:5432\/dash$/);
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.nodeEnv).toBe('production');
  });
});
