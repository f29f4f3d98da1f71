// Configuration for the Prisma CLI. The app itself connects through api/src/core/db;
// this file only serves `prisma generate` and, where Prisma's engine can be downloaded,
// `prisma migrate status|deploy` (which agree with our own migrator).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: {
    path: 'prisma/migrations',
    seed: 'tsx api/src/scripts/db.ts seed',
  },
  datasource: {
    // The CLI's only window on the environment; the app reads it in api/src/config/env.ts.
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/dash',
  },
});
