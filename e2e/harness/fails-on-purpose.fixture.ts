import { expect, test } from '@playwright/test';

// Run only by tools/test-harness.test.mjs, which asserts that this failure fails the run.
test('fails on purpose', () => {
  expect(1).toBe(2);
});
