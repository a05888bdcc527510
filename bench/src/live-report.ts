import { LIVE_SESSIONS_PER_USER, LIVE_USERS, type LiveResult } from './live.js';
import { SIGN_IN_PARALLEL } from './live-devices.js';
import { ARRIVAL_TIMEOUT_MS, END_PARALLEL, ENDS_PER_USER, LATE_MS } from './live-latency.js';
import { CONNECTIONS, DURATION_SECONDS, WARM_UP_SECONDS } from './throughput.js';
import type { Row } from './report.js';
import type { Timing } from './stats.js';

/** The throughput budget of [D-LIVE]: /api/auth/me with 1,000 streams open keeps at least 95 % of its rate. */
export const LIVE_THROUGHPUT_FLOOR = 0.95;

const int = (n: number) => Math.round(n).toLocaleString('en');
const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;
const timing = (t: Timing) => `p50 ${ms(t.p50Us)}, p99 ${ms(t.p99Us)}, max ${ms(t.maxUs)} (${int(t.count)} ends)`;
const verdict = (pass: boolean) => (pass ? 'pass' : '**MISS**');
const perRound = (values: number[]) => values.map((r) => r.toFixed(3)).join(', ');

export function liveRows({ load, latency }: LiveResult): Row[] {
  const perPair = (pick: (p: LiveResult['load']['memory'][number]) => number) => load.memory.map((p) => pick(p).toFixed(1)).join(' / ');
  return [
    [
      `Live: commit to \`ended\`, from the NOTIFY heard by a bench LISTEN connection (${int(latency.streams)} streams over two instances)`,
      timing(latency.fromNotify),
      'within 1 s',
      verdict(latency.fromNotify.maxUs < LATE_MS * 1000),
    ],
    [
      'Live: from the revoking `DELETE` sent (before the commit) to `ended` on the other instance: an upper bound',
      `${timing(latency.fromSent)}; over ${LATE_MS} ms: ${latency.late}`,
      'within 1 s',
      verdict(latency.late === 0),
    ],
    [
      'Live: from the revoking `DELETE`’s 204 to `ended` (negative: the event came first)',
      `${timing(latency.fromResponse)}; ${int(latency.eventsBeforeResponse)} of ${int(latency.fromResponse.count)} events came before the 204`,
      '—',
      '',
    ],
    [
      'Live: ended sessions whose stream never heard `ended`',
      `${latency.missing} of ${int(latency.ends)} (NOTIFY unheard by the bench's listener: ${latency.notifyUnheard})`,
      '0',
      verdict(latency.missing === 0),
    ],
    [
      'Live: `ended` for the wrong session, or with the wrong reason',
      `${latency.wrongSession} wrong session, ${latency.wrongReason} wrong reason; ${latency.controlsClosed} of ${int(latency.controls)} streams left open were closed`,
      '0',
      verdict(latency.wrongSession === 0 && latency.wrongReason === 0 && latency.controlsClosed === 0),
    ],
    [
      `Live: memory per open stream (one instance, 0 → ${int(load.streams)} streams, after a full GC)`,
      `RSS ${load.rssPerStreamKiB.toFixed(1)} KiB, heap ${load.heapPerStreamKiB.toFixed(1)} KiB (pairs: RSS ${perPair((p) => p.rssPerStreamKiB)}; heap ${perPair((p) => p.heapPerStreamKiB)})`,
      '—',
      '',
    ],
    [
      `Live: idle app's CPU time over ${load.idleCpu.seconds} s (a heartbeat), with ${int(load.streams)} streams / with none`,
      `${load.idleCpu.withMsPerSecond.toFixed(1)} / ${load.idleCpu.withoutMsPerSecond.toFixed(1)} ms per s`,
      '—',
      '',
    ],
    [
      `Live: \`/api/auth/me\` with ${int(load.streams)} streams open / with none on either side`,
      `median ${load.medianRatio.toFixed(3)}, mean ${load.meanRatio.toFixed(3)} (per round ${perRound(load.rounds.map((r) => r.ratio))}; the runs without streams spread ${(load.withoutSpread * 100).toFixed(0)} %)`,
      `≥ ${LIVE_THROUGHPUT_FLOOR.toFixed(2)}`,
      verdict(load.medianRatio >= LIVE_THROUGHPUT_FLOOR),
    ],
    [
      `Live: the app's CPU time per \`/api/auth/me\`, with ${int(load.streams)} streams open / with none`,
      `median ${load.medianCpuRatio.toFixed(3)} (per round ${perRound(load.rounds.map((r) => r.cpuRatio))})`,
      'diagnostic: the app’s own extra work',
      '',
    ],
  ];
}

/** Each round side by side: without, then with the streams, on the same instance. */
export function liveTable({ load }: LiveResult): string {
  const mib = (kib: number) => (kib / 1024).toFixed(1);
  return [
    `| round | /me req/s, no stream before | /me req/s, ${int(load.streams)} streams | /me req/s, no stream after | with / without | p99 before / with / after | app CPU µs per request before / with / after | CPU ratio |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...load.rounds.map(
      (r, i) =>
        `| ${i + 1} | ${int(r.without.requestsPerSecond)} | ${int(r.with.requestsPerSecond)} | ${int(r.withoutAfter.requestsPerSecond)} | ${r.ratio.toFixed(3)} | ` +
        `${r.without.latencyP99Ms} / ${r.with.latencyP99Ms} / ${r.withoutAfter.latencyP99Ms} ms | ` +
        `${int(r.without.cpuUsPerRequest)} / ${int(r.with.cpuUsPerRequest)} / ${int(r.withoutAfter.cpuUsPerRequest)} | ${r.cpuRatio.toFixed(3)} |`,
    ),
    '',
    `| memory pair | RSS MiB, no stream → ${int(load.streams)} streams | heap after full GC MiB | per stream RSS / heap KiB |`,
    '| --- | --- | --- | --- |',
    ...load.memory.map(
      (p, i) =>
        `| ${i + 1} | ${mib(p.without.rssKiB)} → ${mib(p.with.rssKiB)} | ${mib(p.without.heapUsedKiB)} → ${mib(p.with.heapUsedKiB)} | ${p.rssPerStreamKiB.toFixed(1)} / ${p.heapPerStreamKiB.toFixed(1)} |`,
    ),
  ].join('\n');
}

/** The method, for "How it is measured". */
export function liveMethod({ load, latency }: LiveResult): string {
  return `- **Live sign-out** [D-LIVE] (\`npm run bench:live\`, and in the full run). Two app instances (\`app1\`, \`app2\`) on
  one database, same \`SESSION_SECRET\`, own ports, the caps at their defaults (20 streams per user
  and instance, 5,000 per instance); ${int(load.streams)} sessions (${LIVE_USERS} users × ${LIVE_SESSIONS_PER_USER}) signed in through the API
  (\`/api/auth/register\`, then \`/api/auth/csrf\` + \`/api/auth/login\`, ${SIGN_IN_PARALLEL} at a time). Each stream is a raw
  \`node:http\` request in the bench process (its own socket, keep-alive off, the session cookie and
  the site's \`Origin\`); one refused stream fails the run. *Memory*, on \`app1\` (started with
  \`--expose-gc\` and the probe) before any load, since a load run leaves RSS behind: ${load.memory.length} pairs of RSS
  (\`VmRSS\` of \`/proc/<pid>/status\`) and heap, each after a forced full GC, with no stream and with one
  stream per session; per stream = the difference / ${int(load.streams)}. The idle app's CPU time (utime + stime
  of \`/proc/<pid>/stat\`) over ${load.idleCpu.seconds} s, which holds a heartbeat, without and with the streams.
  *Throughput*, on \`app1\`: \`/api/auth/me\` with autocannon as in the throughput runs (${CONNECTIONS} connections,
  ${DURATION_SECONDS} s, after a ${WARM_UP_SECONDS} s warm-up), alternated: no stream, one stream per session, no stream, ... (${load.rounds.length} runs
  with streams, each between two without); a round's ratio is the run with streams over the mean of
  the two beside it, so a steady drift of the machine cancels out, and the 5 % budget is judged on
  the median round. The app's CPU time per request over each run is shown as a diagnostic. The
  stream clients share the 2 cores with autocannon, both servers and PostgreSQL. *Latency*: ${latency.streamsPerInstance[0]! / LIVE_USERS} of
  each user's streams on each instance; a fresh sign-in per user (within the step-up window)
  revokes ${ENDS_PER_USER} of its sessions (\`DELETE /api/sessions/:id\`, ${END_PARALLEL} at a time, one per user at once) through
  the instance that does *not* hold the stream, so only PostgreSQL NOTIFY carries the end across.
  Timed in the bench process from three points: the NOTIFY heard by the bench's own LISTEN
  connection (closest to the commit), the request being sent (an upper bound), and its 204 (the
  route answers after a second transaction, so the event often comes first). The other ${int(latency.controls)} streams
  stay open as controls: none may hear \`ended\` or be closed. Every end must arrive (waited for up
  to ${ARRIVAL_TIMEOUT_MS / 1000} s, past one 25 s heartbeat), with the reason \`revoked\`.`;
}
