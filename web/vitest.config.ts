import { defineProject } from 'vitest/config';

/** Unit tests of the client's pure helpers: plain Node, nothing mounted. */
export default defineProject({
  test: {
    name: 'web',
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
