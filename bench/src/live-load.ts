import { readFileSync } from 'node:fs';
import type { LiveUser } from './live-devices.js';
import { STREAM_OPEN_PARALLEL } from './live-latency.js';
import { type LiveStreamClient, openLiveStreams } from './live-stream-client.js';
import { load, type LoadResult, type LoadTarget } from './load.js';
import { progress, sleep } from './progress.js';
import type { RunningServer } from './servers.js';
import { mean, median } from './stats.js';
import { CONNECTIONS, DURATION_SECONDS, loadTarget, WARM_UP_SECONDS } from './throughput.js';

export const LIVE_ROUNDS = 4;
/** Memory is sampled in pairs (no stream, then one per session) before any load: a load run leaves RSS behind. */
export const MEMORY_PAIRS = 2;
/** After opening or closing the streams, before measuring: the server's side of each close is asynchronous. */
const SETTLE_MS = 1_500;

export interface MemorySample {
  streams: number;
  /** VmRSS from /proc/<pid>/status, right after a forced full GC. */
  rssKiB: number;
  heapUsedKiB: number;
}

export interface MemoryPair {
  without: MemorySample;
  with: MemorySample;
  rssPerStreamKiB: number;
  heapPerStreamKiB: number;
}

/** A load run and the app process's CPU time over it (utime + stime of /proc/<pid>/stat) per request served. */
export interface MeasuredLoad extends LoadResult {
  cpuUsPerRequest: number;
}

/** A run with the streams, between the runs without them just before and just after it. */
export interface LiveLoadRound {
  without: MeasuredLoad;
  with: MeasuredLoad;
  withoutAfter: MeasuredLoad;
  /** with / the mean of the two runs without beside it: drift of the machine cancels out to first order. */
  ratio: number;
  /** CPU per request, the same way: the app's own extra work, less moved than req/s by other load on the machine. */
  cpuRatio: number;
}

/** The app's CPU time per second of wall time while nothing is asked of it: what idle streams cost, heartbeats included. */
export interface IdleCpu {
  seconds: number;
  withoutMsPerSecond: number;
  withMsPerSecond: number;
}

export interface LiveLoadResult {
  streams: number;
  memory: MemoryPair[];
  rssPerStreamKiB: number;
  heapPerStreamKiB: number;
  rounds: LiveLoadRound[];
  idleCpu: IdleCpu;
  /** The budget is judged on the median of the per-round ratios: one run disturbed by other work on the machine does not decide it. */
  medianRatio: number;
  meanRatio: number;
  medianCpuRatio: number;
  /** (largest − smallest) / mean of the runs without streams: how much the machine drifted. */
  withoutSpread: number;
}

/**
 * [D-LIVE] On one instance (started with the probe and --expose-gc): memory after a full GC with
 * no stream and with one stream per session of `users`, and the idle app's CPU over a heartbeat;
 * then /api/auth/me throughput without and with those streams, alternated `rounds` times (and
 * a last run without) so drift shows.
 */
export async function measureLiveLoad(app: RunningServer, users: readonly LiveUser[], meCookie: string, rounds = LIVE_ROUNDS): Promise<LiveLoadResult> {
  const entries = users.flatMap((user) => user.sessions.map((session) => ({ ...session, server: app })));
  const memoryPairs: MemoryPair[] = [];
  let idleCpu: IdleCpu | undefined;
  for (let pair = 1; pair <= MEMORY_PAIRS; pair++) {
    // The first pair also times the idle app for a heartbeat, without and with the streams.
    const without = await memory(app, 0);
    const idleWithout = pair === 1 ? await idleCpuMsPerSecond(app) : 0;
    const [withStreams, idleWith] = await whileStreaming(entries, async () => [await memory(app, entries.length), pair === 1 ? await idleCpuMsPerSecond(app) : 0] as const);
    if (pair === 1) {
      idleCpu = { seconds: IDLE_SECONDS, withoutMsPerSecond: idleWithout, withMsPerSecond: idleWith };
      progress(`live idle CPU over ${IDLE_SECONDS} s: ${idleWithout.toFixed(1)} ms/s without streams, ${idleWith.toFixed(1)} ms/s with ${entries.length}`);
    }
    const p: MemoryPair = {
      without,
      with: withStreams,
      rssPerStreamKiB: (withStreams.rssKiB - without.rssKiB) / entries.length,
      heapPerStreamKiB: (withStreams.heapUsedKiB - without.heapUsedKiB) / entries.length,
    };
    memoryPairs.push(p);
    progress(`live memory ${pair}/${MEMORY_PAIRS}: per stream RSS ${p.rssPerStreamKiB.toFixed(1)} KiB, heap ${p.heapPerStreamKiB.toFixed(1)} KiB`);
  }

  const me = loadTarget('app', app, '/api/auth/me', meCookie);
  progress(`live load: warming up ${me.label} for ${WARM_UP_SECONDS} s`);
  await load(me, CONNECTIONS, WARM_UP_SECONDS);
  // without, with, without, with, ..., without: each run with the streams between two without.
  const withoutRuns = [await measuredLoad(app, me, 'no stream open')];
  const results: LiveLoadRound[] = [];
  for (let round = 1; round <= rounds; round++) {
    const withStreams = await whileStreaming(entries, () => measuredLoad(app, me, `${entries.length} streams open`));
    const withoutAfter = await measuredLoad(app, me, 'no stream open');
    const without = withoutRuns.at(-1)!;
    withoutRuns.push(withoutAfter);
    const r: LiveLoadRound = {
      without,
      with: withStreams,
      withoutAfter,
      ratio: withStreams.requestsPerSecond / mean([without.requestsPerSecond, withoutAfter.requestsPerSecond]),
      cpuRatio: withStreams.cpuUsPerRequest / mean([without.cpuUsPerRequest, withoutAfter.cpuUsPerRequest]),
    };
    results.push(r);
    progress(`live load round ${round}/${rounds}: with / without on either side ${r.ratio.toFixed(3)}, CPU per request ${r.cpuRatio.toFixed(3)}`);
  }
  const withoutRates = withoutRuns.map((run) => run.requestsPerSecond);
  return {
    streams: entries.length,
    memory: memoryPairs,
    rssPerStreamKiB: mean(memoryPairs.map((p) => p.rssPerStreamKiB)),
    heapPerStreamKiB: mean(memoryPairs.map((p) => p.heapPerStreamKiB)),
    idleCpu: idleCpu!,
    rounds: results,
    medianRatio: median(results.map((r) => r.ratio)),
    meanRatio: mean(results.map((r) => r.ratio)),
    medianCpuRatio: median(results.map((r) => r.cpuRatio)),
    withoutSpread: (Math.max(...withoutRates) - Math.min(...withoutRates)) / mean(withoutRates),
  };
}

/** Opens a stream per entry, runs `measure` once they have settled, checks that none was closed meanwhile, and closes them. */
async function whileStreaming<T>(entries: Parameters<typeof openLiveStreams>[0], measure: () => Promise<T>): Promise<T> {
  let streams: LiveStreamClient[] = [];
  try {
    streams = await openLiveStreams(entries, STREAM_OPEN_PARALLEL);
    await sleep(SETTLE_MS);
    const result = await measure();
    const closed = streams.filter((stream) => stream.closedAt !== undefined).length;
    if (closed > 0) throw new Error(`live: the server closed ${closed} of ${streams.length} streams while they were measured`);
    return result;
  } finally {
    for (const stream of streams) stream.close();
    await sleep(SETTLE_MS);
  }
}

/** CLK_TCK on Linux: /proc/<pid>/stat counts CPU time in hundredths of a second. */
const CPU_TICK_US = 10_000;

function cpuTicks(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function measuredLoad(app: RunningServer, target: LoadTarget, what: string): Promise<MeasuredLoad> {
  const before = cpuTicks(app.pid);
  const result = await load(target, CONNECTIONS, DURATION_SECONDS);
  const measured = { ...result, cpuUsPerRequest: ((cpuTicks(app.pid) - before) * CPU_TICK_US) / result.total };
  progress(
    `live load: ${what}: ${measured.requestsPerSecond.toFixed(0)} req/s (p99 ${measured.latencyP99Ms} ms), ${measured.cpuUsPerRequest.toFixed(0)} µs app CPU per request`,
  );
  return measured;
}

/** Longer than the default LIVE_HEARTBEAT (25 s), so the window holds at least one heartbeat and its re-check. */
const IDLE_SECONDS = 26;

async function idleCpuMsPerSecond(app: RunningServer): Promise<number> {
  const before = cpuTicks(app.pid);
  await sleep(IDLE_SECONDS * 1000);
  return ((cpuTicks(app.pid) - before) * CPU_TICK_US) / 1000 / IDLE_SECONDS;
}

/** A full GC through the probe, then the heap it reports and the kernel's VmRSS. */
async function memory(app: RunningServer, streams: number): Promise<MemorySample> {
  const { after, gc } = await app.probe<{ after: { heapUsed: number }; gc: boolean }>('memory');
  if (!gc) throw new Error(`the ${app.name} server was started without --expose-gc: its heap would include garbage`);
  const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${app.pid}/status`, 'utf8'))?.[1];
  if (!rss) throw new Error(`no VmRSS in /proc/${app.pid}/status`);
  const sample = { streams, rssKiB: Number(rss), heapUsedKiB: after.heapUsed / 1024 };
  progress(`live load: ${streams} streams: RSS ${(sample.rssKiB / 1024).toFixed(1)} MiB, heap after GC ${(sample.heapUsedKiB / 1024).toFixed(1)} MiB`);
  return sample;
}
