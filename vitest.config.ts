import { defineConfig } from 'vitest/config';

// Three tiers: pure unit tests once; DB tests on PGlite and on real PostgreSQL; browser tests on Chromium.
export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the cores: on the 2-core CI machines that is one file at a time.
    // DB files mostly wait on PostgreSQL or on I/O, so two workers use the cores. Browser files run after them
    // (groupOrder 1), one at a time, so a page never competes with a DB file for the CPU.
    maxWorkers: 2,
    projects: [
      { test: { name: 'unit', include: ['server/**/*.unit.test.ts', 'web/src/**/*.unit.test.ts'], environment: 'node' } },
      { test: { name: 'pglite', include: ['server/**/*.db.test.ts'], env: { TEST_DB: 'pglite' }, testTimeout: 60_000, hookTimeout: 120_000 } },
      {
        test: {
          name: 'postgres',
          include: ['server/**/*.db.test.ts'],
          env: { TEST_DB: 'pg' },
          globalSetup: ['test/pg-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['e2e/**/*.e2e.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
