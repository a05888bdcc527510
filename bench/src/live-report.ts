import type { LiveResult } from './live.js';
import { END_PARALLEL, LATE_MS } from './live-latency.js';
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
  const ratios = load.rounds.map((r) => r.ratio);
  const perStream = (pick: (r: LiveResult['load']['rounds'][number]) => number) => load.rounds.map((r) => pick(r).toFixed(1)).join(' / ');
  return [
    [
      `Live: commit to \`ended\`, from the NOTIFY heard by a bench LISTEN connection (${int(latency.streams)} streams over two instances)`,
      timing(latency.fromNotify),
      '—',
      '',
    ],
    [
      'Live: from the revoking `DELETE`’s 204 to `ended` on the other instance',
      `${timing(latency.fromResponse)}; ${int(latency.eventsBeforeResponse)} events came before the 204`,
      `within 1 s (over ${LATE_MS} ms: ${latency.late})`,
      verdict(latency.late === 0),
    ],
    ['Live: from the revoking `DELETE` sent to `ended` (upper bound)', timing(latency.fromSent), '—', ''],
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
      `RSS ${load.rssPerStreamKiB.toFixed(1)} KiB, heap ${load.heapPerStreamKiB.toFixed(1)} KiB (rounds: RSS ${perStream((r) => r.rssPerStreamKiB)}; heap ${perStream((r) => r.heapPerStreamKiB)})`,
      '—',
      '',
    ],
    [
      `Live: \`/api/auth/me\` with ${int(load.streams)} streams open / with none`,
      `${load.meanRatio.toFixed(3)} (per round ${perRound(ratios)})`,
      `≥ ${LIVE_THROUGHPUT_FLOOR.toFixed(2)}`,
      verdict(load.meanRatio >= LIVE_THROUGHPUT_FLOOR),
    ],
  ];
}

/** Each round side by side: without, then with the streams, on the same instance. */
export function liveTable({ load }: LiveResult): string {
  const mib = (kib: number) => (kib / 1024).toFixed(1);
  return [
    `| round | /me req/s, no stream | /me req/s, ${int(load.streams)} streams | with / without | p99 without / with | RSS MiB without → with | heap after GC MiB without → with |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...load.rounds.map(
      (r, i) =>
        `| ${i + 1} | ${int(r.without.requestsPerSecond)} | ${int(r.with.requestsPerSecond)} | ${r.ratio.toFixed(3)} | ${r.without.latencyP99Ms} / ${r.with.latencyP99Ms} ms | ` +
        `${mib(r.memoryWithout.rssKiB)} → ${mib(r.memoryWith.rssKiB)} | ${mib(r.memoryWithout.heapUsedKiB)} → ${mib(r.memoryWith.heapUsedKiB)} |`,
    ),
  ].join('\n');
}

/** The method, for "How it is measured". */
export function liveMethod({ load, latency }: LiveResult): string {
  return `- **Live sign-out** [D-LIVE]. Two app instances (\`app1\`, \`app2\`) on one database, same
  \`SESSION_SECRET\`, own ports, the caps at their defaults (20 streams per user and instance,
  5,000 per instance); ${int(load.streams)} sessions (100 users × 10) signed in through the API. Each stream is
  a raw \`node:http\` request in the bench process (its own socket, keep-alive off, the session cookie
  and the site's \`Origin\`); one refused stream fails the run. *Memory and throughput*, on \`app1\`
  only (started with \`--expose-gc\` and the probe): \`/api/auth/me\` with autocannon (${load.rounds.length} rounds of
  no stream, then one stream per session, so drift shows), and RSS (\`VmRSS\` of \`/proc/<pid>/status\`) and
  heap after a forced full GC at each step; per stream = the difference / ${int(load.streams)}. The stream
  clients share the 2 cores with autocannon and both servers. *Latency*: half of each user's
  streams on each instance; a fresh sign-in per user revokes ${int(latency.ends)} of the sessions
  (\`DELETE /api/sessions/:id\`, ${END_PARALLEL} at a time) through the instance that does *not* hold the
  stream, so only PostgreSQL NOTIFY carries the end across. Timed in the bench process from
  three points: the NOTIFY heard by the bench's own LISTEN connection (closest to the commit), the
  204 arriving (the commit was before it), and the request being sent. The other ${int(latency.controls)} streams stay
  open as controls: none may hear \`ended\` or be closed.`;
}
