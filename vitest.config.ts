import { defineConfig } from 'vitest/config';

/*
 * One root config runs every package's tests, in three projects:
 * - unit: pure code, no services;
 * - integration: against a real Temporal dev server that the global setup starts;
 * - e2e: the product in Debian's Chromium, driven by playwright-core.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'shared/**/*.test.ts',
            'nodes/**/*.test.ts',
            'runtime/test/unit/**/*.test.ts',
            'editor/src/**/*.test.ts',
          ],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['runtime/test/integration/**/*.test.ts'],
          globalSetup: ['runtime/test/temporalGlobalSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each file starts its own runtime against the shared dev server; 2 cores cannot take more.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/tests/**/*.test.ts'],
          globalSetup: ['runtime/test/temporalGlobalSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'timeskipping',
          include: ['runtime/test/timeSkipping/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'replay',
          include: ['runtime/test/replay/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
