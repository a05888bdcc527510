import { expect, it } from 'vitest';

// Run only by tools/test-harness.test.mjs, which asserts that this failure fails the run.
it('fails on purpose', () => {
  expect(1).toBe(2);
});
