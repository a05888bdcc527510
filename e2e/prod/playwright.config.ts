import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium';
import { deployment, LOGIN_MAX_FAILURES_PER_IP } from './deployment';

/**
 * The production stage (`npm run test:prod`): the built app deployed as in production, two
 * instances on one PostgreSQL behind Caddy on real TLS (serve-behind-proxy.mjs), driven through
 * the proxy. One worker: the specs read the instances' logs and count per client address.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  use: {
    baseURL: deployment.url,
    // The certificate is made for this run, signed by nobody the browser knows.
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  projects: [{ name: 'chromium behind caddy' }],
  webServer: {
    name: 'deployment',
    command: 'node serve-behind-proxy.mjs',
    url: `${deployment.url}/api/health`,
    ignoreHTTPSErrors: true,
    env: { PROD_LOGIN_MAX_FAILURES_PER_IP: String(LOGIN_MAX_FAILURES_PER_IP) },
    reuseExistingServer: false,
    stdout: 'pipe',
    timeout: 120_000,
    // SIGTERM lets it stop the proxy and instances, then the database, and delete the run folder.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
  },
});
