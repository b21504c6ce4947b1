import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two cores: spawned-process e2e tests and real-server tests contend otherwise.
    maxWorkers: 2,
  },
});
