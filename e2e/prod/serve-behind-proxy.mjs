// @ts-check
/**
 * The production deployment in miniature, for the test:prod stage: ONE PostgreSQL, TWO instances of
 * the built API on it (NODE_ENV=production, a secret made for this run, trusting only the proxy on
 * loopback), and Caddy terminating TLS on https://localhost:PROD_PROXY_PORT with a certificate
 * made for this run, balancing round robin over both; the API's embedded mail server stands in
 * for SMTP. Everything lives in PROD_RUN_DIR, and is
 * stopped and deleted when this process is signalled, when a part dies, or when start-up fails.
 *
 * The database is the embedded one, started through the API's own helper, or with DATABASE_URL
 * set (CI's PostgreSQL service) a fresh database created on that server and dropped afterwards.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const apiMain = fileURLToPath(new URL('../../apps/api/dist/main.js', import.meta.url));
const embeddedPostgres = new URL('../../apps/api/dist/prisma/embedded-postgres.js', import.meta.url).href;
const embeddedMailServer = new URL('../../apps/api/dist/mail/embedded-mail-server.js', import.meta.url).href;
const { PROD_RUN_DIR, PROD_PROXY_PORT: proxyPort, PROD_INSTANCE_PORTS } = process.env;
if (!PROD_RUN_DIR || !proxyPort || !PROD_INSTANCE_PORTS) {
  console.error('PROD_RUN_DIR, PROD_PROXY_PORT and PROD_INSTANCE_PORTS must be set; e2e/prod/deployment.ts sets them.');
  process.exit(1);
}
const runDir = PROD_RUN_DIR;
try {
  execFileSync('caddy', ['version'], { stdio: 'ignore' });
} catch {
  console.error('test:prod needs Caddy on the PATH (Debian: apt-get install -y caddy; elsewhere https://caddyserver.com/docs/install). .ci/run installs it.');
  process.exit(1);
}
const instancePorts = PROD_INSTANCE_PORTS.split(',');

/** @type {{ name: string, child: import('node:child_process').ChildProcess }[]} */
const processes = [];
/** @type {(() => Promise<void>) | undefined} */
let stopDatabase;
/** @type {(() => Promise<void>) | undefined} */
let stopMailServer;
let stopping = false;

const say = (/** @type {string} */ message) => console.log(`${message}`);

/**
 * A detached child in its own process group: only this process signals it, in the order shutdown wants.
 * @param {string} name @param {string} command @param {string[]} args @param {NodeJS.ProcessEnv} env @param {string} logFile
 */
function start(name, command, args, env, logFile) {
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, { env, stdio: ['ignore', log, log], detached: true });
  processes.push({ name, child });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} exited (${signal ?? code}) while serving; the end of its log:\n${tail(logFile)}`);
    void shutdown(1);
  });
  return child;
}

const tail = (/** @type {string} */ file) => readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');

/** @param {string} url @param {string} what */
async function waitUntilHealthy(url, what) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (stopping) throw new Error(`stopped while waiting for ${what}`);
    const ok = await answersOk(url);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not answer ${url} within 60 s`);
}

/** Whether `url` answers 2xx; over HTTPS, trusting this run's certificate. @param {string} url @returns {Promise<boolean>} */
function answersOk(url) {
  const client = url.startsWith('https:') ? https : http;
  const ca = url.startsWith('https:') ? readFileSync(join(runDir, 'cert.pem')) : undefined;
  return new Promise((resolve) => {
    const request = client.get(url, { ca, timeout: 2000 }, (response) => {
      response.resume();
      resolve((response.statusCode ?? 500) < 300);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

/** What the API's helpers log, kept to warnings. */
const quietLogger = { trace() {}, info() {}, warn: (/** @type {unknown[]} */ ...args) => console.warn(...args) };

/** An embedded PostgreSQL in the run folder, or a fresh database on DATABASE_URL's server. */
async function startDatabase() {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `sessionkeep_prod_${randomBytes(6).toString('hex')}`;
    const admin = async (/** @type {string} */ sql) => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    stopDatabase = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }
  const { startEmbeddedPostgres } = await import(embeddedPostgres);
  // Importing embedded-postgres installs signal hooks that stop its servers and exit at once;
  // this process stops the instances first, then the database (as the API's main.ts does).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeAllListeners(signal);
  listenForSignals();
  const database = await startEmbeddedPostgres(join(runDir, 'database'), quietLogger);
  stopDatabase = () => database.stop();
  return database.url;
}

function makeCertificate() {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    '-keyout', join(runDir, 'key.pem'), '-out', join(runDir, 'cert.pem'),
  ], { stdio: 'ignore' });
}

/**
 * Caddy as a real deployment runs it: TLS on the run's certificate and round robin over both
 * instances. It writes X-Forwarded-For itself: the address of the client it sees, replacing
 * whatever the client sent, since no `trusted_proxies` are set (Caddy 2.5 and later; its
 * Caddyfile adapter calls `header_up X-Forwarded-For {remote_host}` unnecessary). That matters:
 * with TRUST_PROXY=loopback, a forged value passed along by a loopback client would be believed.
 */
function caddyfile(/** @type {string[]} */ upstreams) {
  return `{
	admin off
	auto_https disable_redirects
	skip_install_trust
}

https://localhost:${proxyPort} {
	bind 127.0.0.1
	tls ${join(runDir, 'cert.pem')} ${join(runDir, 'key.pem')}
	reverse_proxy ${upstreams.join(' ')} {
		lb_policy round_robin
	}
}
`;
}

async function startDeployment() {
  mkdirSync(runDir, { mode: 0o711 }); // throws if it exists: a run never reuses another's files
  makeCertificate();
  const databaseUrl = await startDatabase();
  // Production refuses to start without SMTP: the API's own development mail server stands in for one.
  const { startEmbeddedMailServer } = await import(embeddedMailServer);
  const mail = await startEmbeddedMailServer(quietLogger, { mailDirectory: join(runDir, 'mail') });
  stopMailServer = () => mail.stop();
  say(`PostgreSQL is up; starting two production instances on it at once (both migrate an empty database)`);

  const sessionSecret = randomBytes(48).toString('base64');
  const mfaEncryptionKey = randomBytes(48).toString('base64');
  const { DATABASE_URL: _server, ...inherited } = process.env;
  instancePorts.forEach((port, index) => {
    const instance = index + 1;
    start(`instance ${instance}`, process.execPath, ['--enable-source-maps', apiMain], {
      ...inherited,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: sessionSecret,
      MFA_ENCRYPTION_KEY: mfaEncryptionKey,
      // Caddy reaches the instances over loopback: trust exactly that hop, nothing further out.
      TRUST_PROXY: 'loopback',
      APP_URL: `https://localhost:${proxyPort}`,
      SMTP_URL: mail.smtpUrl,
      MAIL_FROM: 'Sessionkeep <security@localhost>',
      LOG_LEVEL: 'info',
      LOGIN_MAX_FAILURES_PER_IP: process.env.PROD_LOGIN_MAX_FAILURES_PER_IP ?? '20',
      DATA_DIR: join(runDir, `instance-${instance}`),
    }, join(runDir, `instance-${instance}.log`));
  });
  await Promise.all(instancePorts.map((port, index) => waitUntilHealthy(`http://127.0.0.1:${port}/api/health`, `instance ${index + 1}`)));

  writeFileSync(join(runDir, 'Caddyfile'), caddyfile(instancePorts.map((port) => `127.0.0.1:${port}`)));
  // Caddy keeps its state under XDG folders; these keep it in the run folder, away from $HOME.
  start('caddy', 'caddy', ['run', '--config', join(runDir, 'Caddyfile'), '--adapter', 'caddyfile'], {
    ...inherited,
    HOME: runDir,
    XDG_DATA_HOME: join(runDir, 'caddy-data'),
    XDG_CONFIG_HOME: join(runDir, 'caddy-config'),
  }, join(runDir, 'caddy.log'));
  await waitUntilHealthy(`https://localhost:${proxyPort}/api/health`, 'Caddy');
  say(`https://localhost:${proxyPort} -> instances on ${instancePorts.join(' and ')}; files in ${runDir}`);
}

/** Proxy and instances first (each asked to stop, then killed after 10 s), then mail and database, then the files. */
async function shutdown(/** @type {number} */ code) {
  if (stopping) return;
  stopping = true;
  // A start-up still under way finishes (or fails) first, so nothing it starts is left behind.
  await startup.catch(() => undefined);
  await Promise.all(processes.map(({ child }) => stopProcess(child)));
  await stopMailServer?.().catch((error) => console.error('stopping the mail server failed:', error));
  await stopDatabase?.().catch((error) => console.error('stopping the database failed:', error));
  rmSync(runDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  process.exit(code);
}

/** @param {import('node:child_process').ChildProcess} child @returns {Promise<void>} */
function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((resolve) => {
    const kill = setTimeout(() => signalGroup(pid, 'SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    signalGroup(pid, 'SIGTERM');
  });
}

/** @param {number} pid @param {NodeJS.Signals} signal */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function listenForSignals() {
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) process.once(signal, () => void shutdown(0));
}

// Should this process end any other way, its detached children must not outlive it.
process.on('exit', () => {
  for (const { child } of processes) if (child.pid && child.exitCode === null) signalGroup(child.pid, 'SIGKILL');
});

listenForSignals();
const startup = startDeployment();
startup.catch((error) => {
  if (!stopping) console.error(`could not start: ${error instanceof Error ? error.message : error}`);
  void shutdown(1);
});
