import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './support/chromium';
import { servers, SHORT_STEP_UP_WINDOW_SECONDS, type AppServer } from './support/test-run';

/** The production build (run `npx nx run-many -t build` first), each server on its own fresh database. */
function startApp(name: string, server: AppServer, env: Record<string, string> = {}) {
  return {
    name,
    command: 'node support/serve-app.mjs',
    url: `${server.url}/api/health`,
    env: { PORT: String(server.port), LOG_LEVEL: 'warn', ...env },
    reuseExistingServer: false,
    timeout: 60_000,
    // SIGTERM lets the server stop its embedded PostgreSQL and the launcher delete the data folder.
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
  };
}

// tools/test-harness.test.mjs runs a spec that fails on purpose, with no servers, to prove a failure fails the run.
const harness = process.env.E2E_HARNESS_FIXTURE === '1';

export default defineConfig({
  testDir: harness ? 'harness' : 'tests',
  testMatch: harness ? '*.fixture.ts' : undefined,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  // Each flow signs in several devices (argon2id) against servers sharing 2 cores with the browsers:
  // the longest take 20 s on a quiet machine and over 30 s on a busy one. Twice the default.
  timeout: 60_000,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: servers.main.url,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  projects: [{ name: 'chromium' }],
  webServer: harness
    ? []
    : [
        startApp('app', servers.main),
        startApp('app, 3 s step-up window', servers.shortStepUp, { STEP_UP_WINDOW: String(SHORT_STEP_UP_WINDOW_SECONDS) }),
      ],
});
