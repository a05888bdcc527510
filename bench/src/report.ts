import type { EventLoopResult } from './event-loop.js';
import { HEALTH_CONNECTIONS, HEALTH_SECONDS, PACED_RATE, SIGN_IN_LOOPS } from './event-loop.js';
import type { Machine } from './machine.js';
import { describeLocks, type PruneResult } from './prune.js';
import type { ScaleResult } from './scale.js';
import { SESSIONS_PER_USER } from './session-rows.js';
import type { Timing } from './stats.js';
import { CONNECTIONS, DURATION_SECONDS, type TargetThroughput, type ThroughputResult } from './throughput.js';
import type { TransactionsPerRequest } from './transactions-per-request.js';
import type { SessionWrites, WritesResult } from './writes-per-request.js';
import { SIGN_IN_CEILING_SECONDS, type SignInCeiling } from './sign-in-ceiling.js';
import type { SoakResult } from './soak.js';
import type { LiveResult } from './live.js';
import { liveMethod, liveRows, liveTable } from './live-report.js';

export interface BenchResults {
  machine: Machine;
  throughput: ThroughputResult;
  writes: WritesResult;
  transactions: TransactionsPerRequest;
  signInCeiling: SignInCeiling;
  eventLoop: EventLoopResult;
  scale: ScaleResult;
  prune: PruneResult;
  live: LiveResult;
}

export type Row = [measure: string, result: string, goal: string, verdict: string];

const int = (n: number) => Math.round(n).toLocaleString('en');
const ratio = (n: number) => `${n.toFixed(2)}×`;
const verdict = (pass: boolean) => (pass ? 'pass' : '**MISS**');
const timing = (t: Timing) => `mean ${int(t.meanUs)} µs, p50 ${int(t.p50Us)} µs, p99 ${int(t.p99Us)} µs`;
const ratios = (small: Timing, large: Timing) =>
  `mean ${ratio(large.meanUs / small.meanUs)}, p50 ${ratio(large.p50Us / small.p50Us)}, p99 ${ratio(large.p99Us / small.p99Us)}`;

/** [L-TOUCH] at most one write per session per started minute of activity. */
export const allowedWrites = (w: SessionWrites) => Math.max(1, Math.ceil(w.seconds / 60));

export function resultRows({ throughput, writes, transactions, signInCeiling, eventLoop, scale, prune, live }: BenchResults): Row[] {
  const rps = (t: TargetThroughput) =>
    `${int(t.meanRequestsPerSecond)} req/s (rounds ${t.rounds.map((r) => int(r.requestsPerSecond)).join(' / ')}; p99 ${t.rounds.map((r) => r.latencyP99Ms).join(' / ')} ms)`;
  const writesPerRequest = (w: SessionWrites) =>
    `${(w.writes / w.requests).toFixed(3)} (${int(w.writes)} write${w.writes === 1 ? '' : 's'} / ${int(w.requests)} requests in ${w.seconds.toFixed(1)} s; session ${int(w.sessionAgeSeconds)} s old)`;
  const { small, large } = scale;
  const lookupRatio = large.lookup.meanUs / small.lookup.meanUs;
  const storeGetRatio = large.storeGet.meanUs / small.storeGet.meanUs;
  const listRatio = large.list.meanUs / small.list.meanUs;
  const pruneLocks = Object.values(prune.locks).flat();
  const pruneBlocks = prune.lookupBlockedSamples > 0 || pruneLocks.some((mode) => mode.startsWith('AccessExclusiveLock'));
  return [
    [`Bare NestJS \`${throughput.bare.route}\``, rps(throughput.bare), '—', ''],
    [`Ceiling: bare NestJS \`${throughput.ceiling.route}\` running the app's session query`, rps(throughput.ceiling), '—', ''],
    [`Sessionkeep \`${throughput.app.route}\` (signed in)`, rps(throughput.app), '—', ''],
    [`Stock express-session + connect-pg-simple \`${throughput.stock.route}\``, rps(throughput.stock), '—', ''],
    ['Sessionkeep / bare', `${throughput.appOverBare.toFixed(2)} (per round ${perRound(throughput.appOverBareByRound)})`, '≥ 0.50', verdict(throughput.appOverBare >= 0.5)],
    ['Sessionkeep / ceiling', `${throughput.appOverCeiling.toFixed(2)} (per round ${perRound(throughput.appOverCeilingByRound)})`, '≥ 0.80', verdict(throughput.appOverCeiling >= 0.8)],
    ['Ceiling / bare', `${throughput.ceilingOverBare.toFixed(2)} (per round ${perRound(throughput.ceilingOverBareByRound)})`, 'what one query costs', ''],
    ['Stock anchor / bare', throughput.stockOverBare.toFixed(2), 'anchor', ''],
    [
      'CPU per request: bare / Sessionkeep, ceiling / Sessionkeep',
      `${throughput.cpuBareOverApp.toFixed(2)}, ${throughput.cpuCeilingOverApp.toFixed(2)} (µs/request: bare ${int(throughput.bare.meanCpuMicrosPerRequest)}, ` +
        `ceiling ${int(throughput.ceiling.meanCpuMicrosPerRequest)}, app ${int(throughput.app.meanCpuMicrosPerRequest)}, stock ${int(throughput.stock.meanCpuMicrosPerRequest)})`,
      'the ratios above when CPU is what limits',
      '',
    ],
    [
      'Database transactions per `/me`',
      `${transactions.perRequest.toFixed(3)} (${int(transactions.transactions)} for ${int(transactions.requests)} requests, less ${int(transactions.background)} in an idle window as long)`,
      '1: MFA, email and location add no query',
      verdict(transactions.perRequest < 1.05),
    ],
    ['Session writes per request, Sessionkeep', writesPerRequest(writes.app), `≤ 1 per session per minute (here ≤ ${allowedWrites(writes.app)})`, verdict(writes.app.writes <= allowedWrites(writes.app))],
    ['Session writes per request, stock anchor', writesPerRequest(writes.stock), 'anchor', ''],
    ['`/api/health` latency alone', `p50 ${eventLoop.idle.latencyP50Ms} ms, p99 ${eventLoop.idle.latencyP99Ms} ms`, '—', ''],
    [`\`/api/health\` latency during sign-ins`, `p50 ${eventLoop.underSignIns.latencyP50Ms} ms, p99 ${eventLoop.underSignIns.latencyP99Ms} ms`, 'p99 < 50 ms', verdict(eventLoop.underSignIns.latencyP99Ms < 50)],
    [`Sign-ins meanwhile (${SIGN_IN_LOOPS} loops)`, `${eventLoop.signInsPerSecond.toFixed(1)}/s (${int(eventLoop.signIns)} in all)`, '—', ''],
    [
      `Sign-in ceiling: argon2id verifications/s (m=${int(signInCeiling.memoryKiB)} KiB, t=${signInCeiling.iterations}, ${signInCeiling.parallel} at a time, nothing else running)`,
      `${signInCeiling.verificationsPerSecond.toFixed(1)}/s`,
      '—',
      '',
    ],
    [
      'Sign-ins / sign-in ceiling',
      `${(eventLoop.signInsPerSecond / signInCeiling.verificationsPerSecond).toFixed(2)} (with \`/api/health\` p99 ${eventLoop.underSignIns.latencyP99Ms} ms meanwhile)`,
      'diagnostic',
      '',
    ],
    [
      `\`/api/health\` at a steady ${PACED_RATE} req/s during sign-ins`,
      `p50 ${eventLoop.pacedUnderSignIns.latencyP50Ms} ms, p99 ${eventLoop.pacedUnderSignIns.latencyP99Ms} ms`,
      'diagnostic',
      '',
    ],
    [
      'Control: bare `/hello` during the same sign-ins',
      `p50 ${eventLoop.bareUnderSignIns.latencyP50Ms} ms, p99 ${eventLoop.bareUnderSignIns.latencyP99Ms} ms`,
      'machine, not app',
      '',
    ],
    [`Session lookup (the app's, with the user row), ${int(small.sessions)} sessions`, timing(small.lookup), '—', ''],
    [`Session lookup (the app's, with the user row), ${int(large.sessions)} sessions`, timing(large.lookup), '—', ''],
    ['Session lookup, 1M / 1k', ratios(small.lookup, large.lookup), 'mean ≤ 2×', verdict(lookupRatio <= 2)],
    [
      "connect-pg-simple's get, 1k → 1M",
      `mean ${int(small.storeGet.meanUs)} → ${int(large.storeGet.meanUs)} µs (${ratio(storeGetRatio)}), p99 ${int(small.storeGet.p99Us)} → ${int(large.storeGet.p99Us)} µs`,
      'mean ≤ 2×',
      verdict(storeGetRatio <= 2),
    ],
    [`User's session list, ${int(small.sessions)} sessions`, timing(small.list), '—', ''],
    [`User's session list, ${int(large.sessions)} sessions`, timing(large.list), '—', ''],
    ["User's session list, 1M / 1k", ratios(small.list, large.list), 'mean ≤ 2×', verdict(listRatio <= 2)],
    [`Prune at ${int(prune.sessionsBefore)} sessions`, `${int(prune.pruned.sessions)} expired sessions pruned in ${prune.seconds.toFixed(2)} s`, '—', ''],
    ['Locks on `session` during the prune', describeLocks(prune.locks), 'none that blocks reads', verdict(!pruneBlocks)],
    [
      'Session lookups during the prune',
      `${int(prune.lookupsDuringPrune.count)} lookups, p99 ${(prune.lookupsDuringPrune.p99Us / 1000).toFixed(1)} ms, max ${(prune.lookupsDuringPrune.maxUs / 1000).toFixed(1)} ms; waiting on a lock in ${prune.lookupBlockedSamples} of ${prune.lockSamples} samples`,
      'not blocked',
      verdict(prune.lookupBlockedSamples === 0),
    ],
    ...liveRows(live),
  ];
}

const perRound = (values: number[]) => values.map((r) => r.toFixed(2)).join(', ');

/** Every round side by side: the machine is shared, so the ratios within a round are what counts. */
export function throughputTable(t: ThroughputResult): string {
  const all = [t.bare, t.ceiling, t.app, t.stock];
  const rows = t.bare.rounds.map((_, i) => {
    const [b, c, a, s] = all.map((x) => x.rounds[i]!.requestsPerSecond) as [number, number, number, number];
    const [bc, cc, ac, sc] = all.map((x) => x.rounds[i]!.cpuMicrosPerRequest) as [number, number, number, number];
    return (
      `| ${i + 1} | ${int(b)} | ${int(c)} | ${int(a)} | ${int(s)} | ${(a / b).toFixed(2)} | ${(a / c).toFixed(2)} | ${(c / b).toFixed(2)} ` +
      `| ${int(bc)} | ${int(cc)} | ${int(ac)} | ${int(sc)} | ${(bc / ac).toFixed(2)} | ${(cc / ac).toFixed(2)} |`
    );
  });
  const [bm, cm, am, sm] = all.map((x) => x.meanCpuMicrosPerRequest) as [number, number, number, number];
  return [
    '| round | bare req/s | ceiling req/s | app /me req/s | stock req/s | app/bare | app/ceiling | ceiling/bare ' +
      '| bare CPU µs/req | ceiling CPU µs/req | app CPU µs/req | stock CPU µs/req | CPU bare/app | CPU ceiling/app |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    `| mean | ${int(t.bare.meanRequestsPerSecond)} | ${int(t.ceiling.meanRequestsPerSecond)} | ${int(t.app.meanRequestsPerSecond)} | ${int(t.stock.meanRequestsPerSecond)} | ${t.appOverBare.toFixed(2)} | ${t.appOverCeiling.toFixed(2)} | ${t.ceilingOverBare.toFixed(2)} ` +
      `| ${int(bm)} | ${int(cm)} | ${int(am)} | ${int(sm)} | ${t.cpuBareOverApp.toFixed(2)} | ${t.cpuCeilingOverApp.toFixed(2)} |`,
  ].join('\n');
}

export function soakTable(result: SoakResult): string {
  const f = (n: number) => n.toFixed(1);
  return [
    `Soak: ${result.minutes} min of mixed load; steady /me ${result.steadyMe.requestsPerSecond.toFixed(0)} req/s (p99 ${result.steadyMe.latencyP99Ms} ms)`,
    '',
    '| minute | RSS MiB | heap used MiB | heap after full GC MiB | heap total MiB | external MiB | live sessions | sign-ins | revocations | loop requests |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...result.samples.map(
      (s) =>
        `| ${s.minute} | ${f(s.rssMiB)} | ${f(s.heapUsedMiB)} | ${f(s.heapAfterGcMiB)} | ${f(s.heapTotalMiB)} | ${f(s.externalMiB)} | ${int(s.liveSessions)} | ${int(s.signIns)} | ${int(s.revocations)} | ${int(s.requests)} |`,
    ),
  ].join('\n');
}

export function markdownTable(rows: Row[]): string {
  const header: Row = ['Measure', 'Result', 'Goal', 'Verdict'];
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [header, ['---', '---', '---', '---'] as Row, ...rows].map((row) => `| ${row.map(escape).join(' | ')} |`).join('\n');
}

export function benchmarksMarkdown(results: BenchResults, rows: Row[]): string {
  const { machine, scale, prune, writes } = results;
  return `# Benchmarks

Measured by \`npm run bench\` (the code is in [bench/src](bench/src)) on ${machine.date.slice(0, 10)}.
The machine is small and shared, so absolute figures are noisy: every comparison below was
measured side by side in the same run, and the budgets in SPEC.md are stated as ratios for that reason.

## Results

${markdownTable(rows)}

## Reading the throughput figure

The database is not what holds \`/api/auth/me\` back. The ceiling route is a bare NestJS route that
runs the app's own per-request statement (the session joined to its user's current row, the very
query config the store sends) on a pool like the app's: it answers at ${ratio(results.throughput.ceilingOverBare)} of the bare route,
and the app at ${ratio(results.throughput.appOverCeiling)} of that ceiling. What separates the app from its ceiling is spent in the
Node process, on CPU (the event loop is almost never idle under this load): the middleware
chain, express-session's cookie signature check and session hashing, the global guards, and the
garbage all of that makes. Each response takes the same socket writes in the app and in the
ceiling (one \`writev\` for the HTTP response, one for the query), so \`writev\`'s share of a profile
is the syscall cost of a loaded machine, not extra writes. \`npm run bench:profile\`
shows the profile and the writes per response.

A per-process session cache would close more of the gap, but the budget allows one only if a
revoked session is never served from it, not even for a moment: PostgreSQL's LISTEN/NOTIFY
delivers an invalidation after the revoking transaction commits, asynchronously, so another
instance could answer from its cache in between. Sessionkeep keeps one read per request instead
(a prepared statement, parsed and planned once per pooled connection): revocation is immediate on
every instance, which is the property the product is for.

Per round (the machine is shared and noisy; compare within a round):

${throughputTable(results.throughput)}

## Live sign-out

Per round, \`/api/auth/me\` on one instance with no stream, with a stream open for every signed-in
session, and with none again (the stream clients run in the bench process, on the same cores);
then memory with 0 and with all the streams. Latency, memory per stream and the verdicts are in the
table above.

${liveTable(results.live)}

## Machine

- CPU: ${machine.cpu} × ${machine.cpus}
- Memory: ${machine.memory}
- OS: ${machine.os}
- Node.js: ${machine.node}
- PostgreSQL: ${machine.postgres}
- Date: ${machine.date}

## How it is measured

- **Servers.** Four child processes started the same way (\`node --enable-source-maps <file>\`,
  \`NODE_ENV=development\`, \`LOG_LEVEL=warn\`, the same environment but \`PORT\`): the real app
  (\`apps/api/dist/main.js\`, session, login and per-user limits raised so the load is never refused), a bare
  NestJS app with one route and no middleware (\`bench/dist/bare-server.js\`), the ceiling, the
  same bare app whose one route runs the app's per-request session query on a \`pg.Pool\` like the
  app's (\`bench/dist/ceiling-server.js\`; the session's stored hash comes in a header), and the anchor, stock
  \`express-session\` + \`connect-pg-simple\` as its README configures it, touch on, on the same kind of
  NestJS app (\`bench/dist/stock-session-server.js\`, its own \`stock_anchor.stock_session\` table). The load
  generator is the bench process itself, on the same machine: all share its ${machine.cpus} cores.
- **Throughput.** autocannon, ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run, to 127.0.0.1 with
  \`Host: localhost:<port>\`; a 3 s warm-up of each, then ${results.throughput.bare.rounds.length} rounds of bare, ceiling, app, stock. The
  app request carries a signed-in \`__Host-sid\` session (registered through \`/api/auth/csrf\` and
  \`/api/auth/register\`). Any non-2xx answer, error or timeout fails the run. Figures are the mean
  of the rounds; the ratios per round are listed too.
- **CPU per request.** Each server's user + system time from \`/proc/<pid>/stat\`, read just before
  and after each run, less what the same process uses in 5 s with no load (timers, the mail
  queue's polling), divided by the requests it answered. Requests/s swing with whatever else the
  machine runs; the CPU a request costs much less, so on a saturated machine ceiling CPU / app CPU
  is the fairer "fraction of the ceiling".
- **Transactions per \`/me\`.** \`xact_commit + xact_rollback\` of the bench database in
  \`pg_stat_database\` (read from another database, after 12 s for the counters to settle) over a
  window holding 1,000 sequential signed-in \`/me\`, less an idle window as long: SPEC allows the
  one session query, and nothing from the second factor, email or location features.
- **Sign-in ceiling.** One argon2id verification per sign-in at the app's cost, cores − 1 at a
  time (what the app's PasswordHasher allows), in the bench process with the servers idle, for
  ${SIGN_IN_CEILING_SECONDS} s: the most this machine can sign in per second. The sign-ins per second of the event-loop
  run below are reported as a fraction of it.
- **Writes per request** [L-TOUCH]. ${int(writes.app.requests)} sequential requests on one signed-in
  session, against the app and against the anchor; the writes are the change in
  \`n_tup_ins + n_tup_upd + n_tup_del\` of each session table in \`pg_stat_user_tables\`, read
  once the counters have settled (11 s of quiet, then two equal reads 2 s apart, since PostgreSQL
  15+ reports other backends' counts up to ~10 s late). The app's session was signed in before the
  throughput runs, so over a minute old: the one touch a minute allows is expected here.
- **Event loop.** \`/api/health\` with autocannon (${HEALTH_CONNECTIONS} connections, ${HEALTH_SECONDS} s), alone and
  then while ${SIGN_IN_LOOPS} loops sign in as fast as they can (\`GET /api/auth/csrf\`, then
  \`POST /api/auth/login\` with that cookie and token; argon2id at the app's settings). The budget
  is judged on that closed loop, which keeps the app busy, so its p99 includes waiting behind the
  other in-flight requests; \`/api/health\` at a steady ${PACED_RATE} req/s under the same sign-ins shows
  what one request waits when the app is not saturated. As a control,
  the bare server's \`/hello\` is measured the same way under the same sign-in load: hashing takes
  CPU from every process on the machine, so a slow bare server means a busy machine rather than a
  blocked event loop in the app.
- **Scale.** Straight on the database with \`pg\`, no HTTP, one query at a time, timed at the client
  (so a loopback round trip is included at both sizes). ${int(scale.small.sessions)} sessions for ${int(scale.small.users)} users, then
  ${int(scale.large.sessions)} for ${int(scale.large.users)} users (${scale.large.tableSize}, grown in ${scale.growSeconds.toFixed(0)} s), ${SESSIONS_PER_USER} sessions each, so a
  session list returns the same number of rows at both sizes. Rows are shaped like the app's own;
  \`user_id\` and \`remember_series_id\` are generated by PostgreSQL. The lookup is the query the
  app's store runs on every request, the session joined to its user's row, for 2,000 random
  sessions (plan at 1k: ${scale.small.lookupPlan}; at 1M: ${scale.large.lookupPlan}); connect-pg-simple's own
  \`SELECT sess FROM "session" WHERE sid = $1 AND expire >= to_timestamp($2)\` is timed the same
  way; the list is
  \`SELECT sid, sess FROM session WHERE user_id = $1 AND expire > now()\` for 500 random users
  (plan at 1M: ${scale.large.listPlan}), each after \`VACUUM ANALYZE\`, a \`CHECKPOINT\` (so the bulk
  load's dirty pages are not written out by the lookups) and a warm-up.
- **Prune.** At ${int(prune.sessionsBefore)} sessions, ${int(prune.expired)} (~10 %) are made expired and the app's own
  \`SessionPruner.prune()\` runs in-process (a Nest application context of \`AppModule\`), while
  another connection samples \`pg_locks\` on \`session\` every few ms and a third looks up live
  sessions one after another, checking \`pg_blocking_pids\` of that lookup's backend.
${liveMethod(results.live)}

## Reproduce

\`\`\`sh
npm install
npm run bench
npm run bench:throughput   # the four-way table only, 3 rounds
npm run bench:sign-in      # sign-in ceiling, then /api/health p99 while sign-ins run
npm run bench:profile      # CPU profile of /me and of the ceiling under load, socket writes per response
npm run bench:soak         # 10 minutes of mixed load; RSS and heap every minute
npm run bench:live         # live sign-out: commit-to-event latency over two instances, memory per stream, /me with 1,000 streams
\`\`\`

It builds the workspace, starts an embedded PostgreSQL in a temporary folder (deleted afterwards)
and takes a few minutes. With \`DATABASE_URL\` set, it uses that server instead, in a database of
its own that it creates, migrates and drops.
`;
}
