import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Node loads graphql's CommonJS build for Apollo and type-graphql; the test runner must not
// hand our code the ESM build, or `instanceof GraphQLError` fails across the two copies.
const graphqlCjs = createRequire(import.meta.url).resolve('graphql');

export default defineConfig({
  test: {
    // Two test files at a time (vitest's default on 2 cores is one): an API test spends much of
    // its time waiting on PostgreSQL, argon2 and its sockets. The files share one database, so
    // each test makes its own users and counts only what it made (see register.test.ts,
    // sessions.test.ts).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'api',
          alias: [{ find: /^graphql$/, replacement: graphqlCjs }],
          root: './api',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./test/global-setup.ts'],
          setupFiles: ['./test/setup.ts'],
          // Bounds for a hung test, not a measure of speed: nothing waits a fixed time. A 2-core
          // machine busy with other work ran tests that take 10 s idle in 35–50 s.
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
        },
      },
      './web',
    ],
  },
});
