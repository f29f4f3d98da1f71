import { defineProject } from 'vitest/config';

/** Unit tests of the client's (and the playground's) pure helpers: plain Node, nothing mounted. */
export default defineProject({
  test: {
    name: 'web',
    include: ['src/**/*.test.ts', 'playground/**/*.test.ts'],
    environment: 'node',
  },
});
