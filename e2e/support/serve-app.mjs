// @ts-check
/**
 * Runs the production build of the app on a fresh, throw-away data folder (its own embedded
 * PostgreSQL), and deletes the folder once the server has stopped, so runs never share data and
 * leave nothing behind. Tests reach that database only through the `db` fixture, from outside the
 * app: no route of the app seeds anything.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appDataDir } from './app-data-dir.mjs';

const apiMain = fileURLToPath(new URL('../../apps/api/dist/main.js', import.meta.url));
if (!existsSync(apiMain)) {
  console.error(`No production build at ${apiMain}. Run \`npx nx run-many -t build\` at the repository root first.`);
  process.exit(1);
}
/**
 * In a Playwright run, the folder where the `db` fixture looks for this server's database (see
 * support/test-run.ts); run by hand, any fresh folder. Under /tmp either way: as root the database
 * runs as `postgres`, which must reach it.
 */
function freshDataDir() {
  const { E2E_RUN_ID: runId, PORT: port } = process.env;
  if (!runId || !port) return mkdtempSync(join(tmpdir(), 'sessionkeep-e2e-'));
  const dir = appDataDir(runId, port);
  mkdirSync(dir, { mode: 0o700 }); // throws if it exists: a server never reuses another's data
  return dir;
}
const dataDir = freshDataDir();

// Without DATABASE_URL the app starts its embedded PostgreSQL in DATA_DIR; one set for the
// integration tests must not make these runs share a database.
const { DATABASE_URL: _sharedDatabase, ...env } = process.env;
const server = spawn(process.execPath, ['--enable-source-maps', apiMain], {
  env: { ...env, DATA_DIR: dataDir },
  stdio: 'inherit',
});

// Playwright signals the whole process group, so the server has heard the signal too. Forwarding
// it would make a second signal that kills the server mid-shutdown; this process only stays alive
// until the server has stopped its database, and then removes the folder.
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => {});

server.on('exit', (code, signal) => {
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  process.exit(code ?? (signal ? 1 : 0));
});
