import { readFileSync } from 'node:fs';
import type { LiveUser } from './live-devices.js';
import { STREAM_OPEN_PARALLEL } from './live-latency.js';
import { type LiveStreamClient, openLiveStreams } from './live-stream-client.js';
import { load, type LoadResult, type LoadTarget } from './load.js';
import { progress, sleep } from './progress.js';
import type { RunningServer } from './servers.js';
import { mean } from './stats.js';
import { CONNECTIONS, DURATION_SECONDS, loadTarget, WARM_UP_SECONDS } from './throughput.js';

export const LIVE_ROUNDS = 3;
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

export interface LiveLoadRound {
  without: MeasuredLoad;
  with: MeasuredLoad;
  /** with / without, side by side in the round. */
  ratio: number;
  /** CPU per request, with / without: the app's own extra work, less sensitive than req/s to other load on the machine. */
  cpuRatio: number;
}

export interface LiveLoadResult {
  streams: number;
  memory: MemoryPair[];
  rssPerStreamKiB: number;
  heapPerStreamKiB: number;
  rounds: LiveLoadRound[];
  /** Mean of the per-round ratios. */
  meanRatio: number;
  meanCpuRatio: number;
  /** (largest − smallest) / mean of the runs without streams: how much the machine drifted. */
  withoutSpread: number;
}

/**
 * [D-LIVE] On one instance (started with the probe and --expose-gc): memory after a full GC with
 * no stream and with one stream per session of `users`; then /api/auth/me throughput without and
 * with those streams, alternated `rounds` times so drift shows.
 */
export async function measureLiveLoad(app: RunningServer, users: readonly LiveUser[], meCookie: string, rounds = LIVE_ROUNDS): Promise<LiveLoadResult> {
  const entries = users.flatMap((user) => user.sessions.map((session) => ({ ...session, server: app })));
  const memoryPairs: MemoryPair[] = [];
  for (let pair = 1; pair <= MEMORY_PAIRS; pair++) {
    const without = await memory(app, 0);
    const withStreams = await whileStreaming(entries, () => memory(app, entries.length));
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
  const results: LiveLoadRound[] = [];
  for (let round = 1; round <= rounds; round++) {
    const without = await measuredLoad(app, me);
    progress(
      `live load round ${round}/${rounds}: no stream open: ${without.requestsPerSecond.toFixed(0)} req/s (p99 ${without.latencyP99Ms} ms), ` +
        `${without.cpuUsPerRequest.toFixed(0)} µs CPU per request`,
    );
    const withStreams = await whileStreaming(entries, () => measuredLoad(app, me));
    const r: LiveLoadRound = {
      without,
      with: withStreams,
      ratio: withStreams.requestsPerSecond / without.requestsPerSecond,
      cpuRatio: withStreams.cpuUsPerRequest / without.cpuUsPerRequest,
    };
    results.push(r);
    progress(
      `live load round ${round}/${rounds}: ${entries.length} streams open: ${withStreams.requestsPerSecond.toFixed(0)} req/s (p99 ${withStreams.latencyP99Ms} ms), ` +
        `${withStreams.cpuUsPerRequest.toFixed(0)} µs CPU per request; with/without ${r.ratio.toFixed(3)}, CPU per request ${r.cpuRatio.toFixed(3)}`,
    );
  }
  const withoutRates = results.map((r) => r.without.requestsPerSecond);
  return {
    streams: entries.length,
    memory: memoryPairs,
    rssPerStreamKiB: mean(memoryPairs.map((p) => p.rssPerStreamKiB)),
    heapPerStreamKiB: mean(memoryPairs.map((p) => p.heapPerStreamKiB)),
    rounds: results,
    meanRatio: mean(results.map((r) => r.ratio)),
    meanCpuRatio: mean(results.map((r) => r.cpuRatio)),
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

async function measuredLoad(app: RunningServer, target: LoadTarget): Promise<MeasuredLoad> {
  const before = cpuTicks(app.pid);
  const result = await load(target, CONNECTIONS, DURATION_SECONDS);
  return { ...result, cpuUsPerRequest: ((cpuTicks(app.pid) - before) * CPU_TICK_US) / result.total };
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
