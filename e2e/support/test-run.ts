import { randomBytes } from 'node:crypto';
import { appDataDir } from './app-data-dir.mjs';
import { freePorts } from './free-ports';

/**
 * Values chosen once per test run. The runner loads the config (and so this module) before it
 * starts its workers, and the workers inherit its environment, so every process agrees on them.
 */

export interface AppServer {
  port: number;
  url: string;
  /** Its data folder, holding its embedded PostgreSQL (see support/serve-app.mjs). */
  dataDir: string;
}

if (!process.env.E2E_MAIN_PORT || !process.env.E2E_SHORT_STEP_UP_PORT) {
  const [main, shortStepUp] = await freePorts(2);
  process.env.E2E_MAIN_PORT = String(main);
  process.env.E2E_SHORT_STEP_UP_PORT = String(shortStepUp);
}
// Names this run's data folders, so the servers and the `db` fixture agree on them.
process.env.E2E_RUN_ID ??= randomBytes(8).toString('hex');
const runId = process.env.E2E_RUN_ID;

function appServer(port: number): AppServer {
  // localhost, not 127.0.0.1 spelled out: the API treats loopback requests for a loopback Host as a
  // secure context, and Chromium keeps Secure __Host- cookies on http://localhost.
  return { port, url: `http://localhost:${port}`, dataDir: appDataDir(runId, port) };
}

export const SHORT_STEP_UP_WINDOW_SECONDS = 3;

/** The app with default settings, and one whose step-up window lapses after 3 s. */
export const servers = {
  main: appServer(Number(process.env.E2E_MAIN_PORT)),
  shortStepUp: appServer(Number(process.env.E2E_SHORT_STEP_UP_PORT)),
};

/** The server a test talks to, found by its base URL. */
export function serverAt(baseURL: string | undefined): AppServer {
  const server = Object.values(servers).find((candidate) => candidate.url === baseURL);
  if (!server) throw new Error(`No test server serves ${baseURL}; the db fixture knows only those in support/test-run.ts.`);
  return server;
}
