// Generates the Prisma client (api/src/generated/prisma) during `npm install`.
//
// `prisma generate` wants Prisma's schema-engine binary, which it downloads from
// Prisma's own host. Where that host is reachable, this is a plain `prisma generate`.
// Where it is not (our CI and dev machines reach only the npm registry), generation
// needs no engine at all, so we point PRISMA_SCHEMA_ENGINE_BINARY at a stand-in that
// explains itself if anything ever tries to run it.
//
// A production install (`npm ci --omit=dev`) may lack the CLI, a dev dependency: then there
// is nothing to do, as production runs the client compiled into api/dist (npm run build).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stub = fileURLToPath(new URL('./schema-engine-unavailable.sh', import.meta.url));

try {
  createRequire(import.meta.url).resolve('prisma/package.json');
} catch {
  console.log('prisma-generate: the Prisma CLI is not installed (a production install); nothing to generate.');
  process.exit(0);
}

function generate(extraEnv) {
  return spawnSync('npx', ['--no-install', 'prisma', 'generate'], {
    cwd: root,
    env: { ...process.env, ...extraEnv },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

let result = process.env.PRISMA_SCHEMA_ENGINE_BINARY ? generate({}) : generate({ PRISMA_HIDE_UPDATE_MESSAGE: '1' });
if (result.status !== 0 && !process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const output = `${result.stdout}${result.stderr}`;
  if (/binaries\.prisma\.sh|ENOTFOUND|ECONNREFUSED|ETIMEDOUT|fetch failed|request to/i.test(output)) {
    console.log('prisma-generate: Prisma\'s engine host is unreachable; generating without the schema engine.');
    result = generate({ PRISMA_SCHEMA_ENGINE_BINARY: stub });
  }
}
process.stdout.write(result.stdout ?? '');
process.stderr.write(result.stderr ?? '');
process.exit(result.status ?? 1);
