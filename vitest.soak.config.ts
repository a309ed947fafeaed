import { defineConfig } from 'vitest/config';

/*
 * Long runs kept out of `npm test`: `npm run test:soak`. The shard-robustness run (2,000 live
 * conversations through repeated continue-as-new on the time-skipping server) took 458 s on a busy
 * machine and once stalled on a quiet one with the test server throttling the worker's pings, which
 * would hold CI for its whole 15-minute limit.
 */
export default defineConfig({
  test: {
    include: ['runtime/test/soak/**/*.test.ts'],
    setupFiles: ['runtime/test/support/requireTypeScript.ts'],
    testTimeout: 900_000,
    hookTimeout: 300_000,
  },
});
