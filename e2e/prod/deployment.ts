import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../support/free-ports';

/**
 * Values chosen once per run of the production stage. The runner loads the config (and so this
 * module) before it starts the deployment and its workers, and both inherit its environment, so
 * every process agrees on them (as in support/test-run.ts).
 */

if (!process.env.PROD_PROXY_PORT || !process.env.PROD_INSTANCE_PORTS) {
  const [proxy, ...instances] = await freePorts(3);
  process.env.PROD_PROXY_PORT = String(proxy);
  process.env.PROD_INSTANCE_PORTS = instances.join(',');
}
// Created by serve-behind-proxy.mjs and deleted when it stops: certificate, Caddyfile, logs, database.
process.env.PROD_RUN_DIR ??= join(tmpdir(), `sessionkeep-prod-${randomBytes(8).toString('hex')}`);

/** Failed sign-ins one client address may make; low, so a test reaches it quickly [A-BRUTE]. */
export const LOGIN_MAX_FAILURES_PER_IP = 5;

export const deployment = {
  /** Caddy, terminating TLS and balancing over the two instances. */
  url: `https://localhost:${process.env.PROD_PROXY_PORT}`,
  runDir: process.env.PROD_RUN_DIR,
  certificate: join(process.env.PROD_RUN_DIR, 'cert.pem'),
  /** Each instance's stdout: pino's JSON lines, one "request completed" line per request. */
  instanceLogs: [1, 2].map((instance) => join(process.env.PROD_RUN_DIR!, `instance-${instance}.log`)),
};
