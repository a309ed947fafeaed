import { defineConfig } from 'vitest/config';

/*
 * One root config runs every package's tests, in three projects:
 * - unit: pure code, no services;
 * - integration: against a real Temporal dev server that the global setup starts;
 * - e2e: the product in Debian's Chromium, driven by playwright-core.
 */
/** Every project: the SDK `require()`s TypeScript (the payload converter), as under tsx in production. */
const setupFiles = ['runtime/test/support/requireTypeScript.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          setupFiles,
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
          setupFiles,
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
          setupFiles,
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
          setupFiles,
          include: ['runtime/test/timeSkipping/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'replay',
          setupFiles,
          include: ['runtime/test/replay/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
    ],
  },
});
