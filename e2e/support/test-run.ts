import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';

/**
 * Values chosen once per test run. The runner loads the config (and so this module) before it
 * starts its workers, and the workers inherit its environment, so every process agrees on them.
 */

export interface AppServer {
  port: number;
  url: string;
}

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve(probe));
  });
}

/** Both probes stay open until both ports are known, so the OS cannot hand out the same port twice. */
async function twoFreePorts(): Promise<[number, number]> {
  const probes = [await listenOnFreePort(), await listenOnFreePort()] as const;
  const [first, second] = probes.map((probe) => (probe.address() as { port: number }).port);
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  return [first ?? 0, second ?? 0];
}

if (!process.env.E2E_MAIN_PORT || !process.env.E2E_SHORT_STEP_UP_PORT) {
  const [main, shortStepUp] = await twoFreePorts();
  process.env.E2E_MAIN_PORT = String(main);
  process.env.E2E_SHORT_STEP_UP_PORT = String(shortStepUp);
}
// admin@example.com can be registered once per server; whichever worker comes second signs in with this.
process.env.E2E_ADMIN_PASSWORD ??= `admin-${randomBytes(12).toString('hex')}`;

function appServer(port: number): AppServer {
  // localhost, not 127.0.0.1 spelled out: the API treats loopback requests for a loopback Host as a
  // secure context, and Chromium keeps Secure __Host- cookies on http://localhost.
  return { port, url: `http://localhost:${port}` };
}

export const SHORT_STEP_UP_WINDOW_SECONDS = 3;

/** The app with default settings, and one whose step-up window lapses after 3 s. */
export const servers = {
  main: appServer(Number(process.env.E2E_MAIN_PORT)),
  shortStepUp: appServer(Number(process.env.E2E_SHORT_STEP_UP_PORT)),
};

export const admin = {
  email: 'admin@example.com',
  password: process.env.E2E_ADMIN_PASSWORD,
  name: 'Ada Admin',
};
