import type { EventLoopResult } from './event-loop.js';
import { HEALTH_CONNECTIONS, HEALTH_SECONDS, PACED_RATE, SIGN_IN_LOOPS } from './event-loop.js';
import type { Machine } from './machine.js';
import { describeLocks, type PruneResult } from './prune.js';
import type { ScaleResult } from './scale.js';
import { SESSIONS_PER_USER } from './session-rows.js';
import type { Timing } from './stats.js';
import { CONNECTIONS, DURATION_SECONDS, type TargetThroughput, type ThroughputResult } from './throughput.js';
import type { SessionWrites, WritesResult } from './writes-per-request.js';

export interface BenchResults {
  machine: Machine;
  throughput: ThroughputResult;
  writes: WritesResult;
  eventLoop: EventLoopResult;
  scale: ScaleResult;
  prune: PruneResult;
}

type Row = [measure: string, result: string, goal: string, verdict: string];

const int = (n: number) => Math.round(n).toLocaleString('en');
const ratio = (n: number) => `${n.toFixed(2)}×`;
const verdict = (pass: boolean) => (pass ? 'pass' : '**MISS**');
const timing = (t: Timing) => `mean ${int(t.meanUs)} µs, p50 ${int(t.p50Us)} µs, p99 ${int(t.p99Us)} µs`;
const ratios = (small: Timing, large: Timing) =>
  `mean ${ratio(large.meanUs / small.meanUs)}, p50 ${ratio(large.p50Us / small.p50Us)}, p99 ${ratio(large.p99Us / small.p99Us)}`;

/** [L-TOUCH] at most one write per session per started minute of activity. */
export const allowedWrites = (w: SessionWrites) => Math.max(1, Math.ceil(w.seconds / 60));

export function resultRows({ throughput, writes, eventLoop, scale, prune }: BenchResults): Row[] {
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
    [`Sessionkeep \`${throughput.app.route}\` (signed in)`, rps(throughput.app), '—', ''],
    [`Stock express-session + connect-pg-simple \`${throughput.stock.route}\``, rps(throughput.stock), '—', ''],
    ['Sessionkeep / bare', `${throughput.appOverBare.toFixed(2)} (per round ${throughput.appOverBareByRound.map((r) => r.toFixed(2)).join(', ')})`, '≥ 0.50', verdict(throughput.appOverBare >= 0.5)],
    ['Stock anchor / bare', throughput.stockOverBare.toFixed(2), 'anchor', ''],
    ['Session writes per request, Sessionkeep', writesPerRequest(writes.app), `≤ 1 per session per minute (here ≤ ${allowedWrites(writes.app)})`, verdict(writes.app.writes <= allowedWrites(writes.app))],
    ['Session writes per request, stock anchor', writesPerRequest(writes.stock), 'anchor', ''],
    ['`/api/health` latency alone', `p50 ${eventLoop.idle.latencyP50Ms} ms, p99 ${eventLoop.idle.latencyP99Ms} ms`, '—', ''],
    [`\`/api/health\` latency during sign-ins`, `p50 ${eventLoop.underSignIns.latencyP50Ms} ms, p99 ${eventLoop.underSignIns.latencyP99Ms} ms`, 'p99 < 50 ms', verdict(eventLoop.underSignIns.latencyP99Ms < 50)],
    [`Sign-ins meanwhile (${SIGN_IN_LOOPS} loops)`, `${eventLoop.signInsPerSecond.toFixed(1)}/s (${int(eventLoop.signIns)} in all)`, '—', ''],
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
  ];
}

export function markdownTable(rows: Row[]): string {
  const header: Row = ['Measure', 'Result', 'Goal', 'Verdict'];
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [header, ['---', '---', '---', '---'] as Row, ...rows].map((row) => `| ${row.map(escape).join(' | ')} |`).join('\n');
}

export function benchmarksMarkdown(results: BenchResults, rows: Row[]): string {
  const { machine, scale, prune, writes } = results;
  return `# Benchmarks

Measured by \`npm run bench\` (the code is in [apps/api/src/bench](apps/api/src/bench)) on ${machine.date.slice(0, 10)}.
The machine is small and shared, so absolute figures are noisy: every comparison below was
measured side by side in the same run, and the budgets in SPEC.md are stated as ratios for that reason.

## Results

${markdownTable(rows)}

## Reading the throughput figure

The signed-in \`/api/auth/me\` is level with the stock anchor but well under half the bare route.
Every figure here comes from one 2-core machine shared by the load generator, Node and
PostgreSQL; any route that asks PostgreSQL anything (\`/api/health\` included) lands near the same
1.2–1.7k req/s, while the bare route needs no second process at all. A CPU profile of \`/me\` under
load shows the event loop idle about a third of the time, waiting for the database, with the
middleware (pino-http, express-session's hash, the router) a few percent each. The request
already costs one query (the session and its user in one statement) and no write.

What would close the gap is a per-process session cache, and the budget allows one only if a
revoked session is never served from it, not even for a moment. PostgreSQL's LISTEN/NOTIFY
delivers an invalidation after the revoking transaction commits, asynchronously, so another
instance can answer from its cache in between. Sessionkeep keeps one read per request instead:
revocation is immediate on every instance, which is the property the product is for.

## Machine

- CPU: ${machine.cpu} × ${machine.cpus}
- Memory: ${machine.memory}
- OS: ${machine.os}
- Node.js: ${machine.node}
- PostgreSQL: ${machine.postgres}
- Date: ${machine.date}

## How it is measured

- **Servers.** Three child processes started the same way (\`node --enable-source-maps <file>\`,
  \`NODE_ENV=development\`, \`LOG_LEVEL=warn\`, the same environment but \`PORT\`): the real app
  (\`dist/main.js\`, session, login and per-user limits raised so the load is never refused), a bare
  NestJS app with one route and no middleware (\`dist/bench/bare-server.js\`), and the anchor, stock
  \`express-session\` + \`connect-pg-simple\` as its README configures it, touch on, on the same kind of
  NestJS app (\`dist/bench/stock-session-server.js\`, its own \`stock_anchor.stock_session\` table). The load
  generator is the bench process itself, on the same machine: all share its ${machine.cpus} cores.
- **Throughput.** autocannon, ${CONNECTIONS} connections, ${DURATION_SECONDS} s per run, to 127.0.0.1 with
  \`Host: localhost:<port>\`; a 3 s warm-up of each, then bare, app, stock, bare, app, stock. The
  app request carries a signed-in \`__Host-sid\` session (registered through \`/api/auth/csrf\` and
  \`/api/auth/register\`). Any non-2xx answer, error or timeout fails the run. Figures are the mean
  of the two rounds.
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

## Reproduce

\`\`\`sh
npm install
npm run bench
\`\`\`

It builds the workspace, starts an embedded PostgreSQL in a temporary folder (deleted afterwards)
and takes a few minutes. With \`DATABASE_URL\` set, it uses that server instead, in a database of
its own that it creates, migrates and drops.
`;
}
