import { defineConfig } from 'vitest/config';

// tools/test-harness.test.mjs points this at a spec that fails on purpose, to prove a failure fails the run.
const harnessFixture = process.env.VITEST_HARNESS_FIXTURE;

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['src/**/*.spec.ts'], exclude: ['src/**/*.int.spec.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: harnessFixture ? [harnessFixture] : ['src/**/*.int.spec.ts', 'test/**/*.int.spec.ts'],
          globalSetup: ['test/global-setup.ts'],
          // Each file gets its own database; two cores run two files at a time.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
