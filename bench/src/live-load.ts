import { readFileSync } from 'node:fs';
import type { LiveUser } from './live-devices.js';
import { STREAM_OPEN_PARALLEL } from './live-latency.js';
import { type LiveStreamClient, openLiveStreams } from './live-stream-client.js';
import { load, type LoadResult } from './load.js';
import { progress, sleep } from './progress.js';
import type { RunningServer } from './servers.js';
import { mean } from './stats.js';
import { CONNECTIONS, DURATION_SECONDS, loadTarget, WARM_UP_SECONDS } from './throughput.js';

export const LIVE_ROUNDS = 2;
/** After opening or closing the streams, before measuring: the server's side of each close is asynchronous. */
const SETTLE_MS = 1_500;

export interface MemorySample {
  streams: number;
  /** VmRSS from /proc/<pid>/status, right after a forced full GC. */
  rssKiB: number;
  heapUsedKiB: number;
}

export interface LiveLoadRound {
  without: LoadResult;
  with: LoadResult;
  /** with / without, side by side in the round. */
  ratio: number;
  memoryWithout: MemorySample;
  memoryWith: MemorySample;
  rssPerStreamKiB: number;
  heapPerStreamKiB: number;
}

export interface LiveLoadResult {
  streams: number;
  rounds: LiveLoadRound[];
  meanRatio: number;
  rssPerStreamKiB: number;
  heapPerStreamKiB: number;
}

/**
 * [D-LIVE] On one instance (started with the probe and --expose-gc): /api/auth/me throughput
 * with no stream open, then with every session of `users` streaming, alternated `rounds` times
 * so drift shows; the process's memory after a full GC at each step.
 */
export async function measureLiveLoad(app: RunningServer, users: readonly LiveUser[], meCookie: string, rounds = LIVE_ROUNDS): Promise<LiveLoadResult> {
  const me = loadTarget('app', app, '/api/auth/me', meCookie);
  const entries = users.flatMap((user) => user.sessions.map((session) => ({ ...session, server: app })));
  progress(`live load: warming up ${me.label} for ${WARM_UP_SECONDS} s`);
  await load(me, CONNECTIONS, WARM_UP_SECONDS);
  const results: LiveLoadRound[] = [];
  for (let round = 1; round <= rounds; round++) {
    const memoryWithout = await memory(app, 0);
    const without = await load(me, CONNECTIONS, DURATION_SECONDS);
    progress(`live load round ${round}/${rounds}: no stream open: ${without.requestsPerSecond.toFixed(0)} req/s (p99 ${without.latencyP99Ms} ms)`);
    let streams: LiveStreamClient[] = [];
    try {
      streams = await openLiveStreams(entries, STREAM_OPEN_PARALLEL);
      await sleep(SETTLE_MS);
      const memoryWith = await memory(app, streams.length);
      const withStreams = await load(me, CONNECTIONS, DURATION_SECONDS);
      const closed = streams.filter((stream) => stream.closedAt !== undefined).length;
      if (closed > 0) throw new Error(`live load: the server closed ${closed} of ${streams.length} streams during the round`);
      const r: LiveLoadRound = {
        without,
        with: withStreams,
        ratio: withStreams.requestsPerSecond / without.requestsPerSecond,
        memoryWithout,
        memoryWith,
        rssPerStreamKiB: (memoryWith.rssKiB - memoryWithout.rssKiB) / streams.length,
        heapPerStreamKiB: (memoryWith.heapUsedKiB - memoryWithout.heapUsedKiB) / streams.length,
      };
      results.push(r);
      progress(
        `live load round ${round}/${rounds}: ${streams.length} streams open: ${withStreams.requestsPerSecond.toFixed(0)} req/s (p99 ${withStreams.latencyP99Ms} ms), ` +
          `with/without ${r.ratio.toFixed(3)}; per stream RSS ${r.rssPerStreamKiB.toFixed(1)} KiB, heap ${r.heapPerStreamKiB.toFixed(1)} KiB`,
      );
    } finally {
      for (const stream of streams) stream.close();
    }
    await sleep(SETTLE_MS);
  }
  return {
    streams: entries.length,
    rounds: results,
    meanRatio: mean(results.map((r) => r.ratio)),
    rssPerStreamKiB: mean(results.map((r) => r.rssPerStreamKiB)),
    heapPerStreamKiB: mean(results.map((r) => r.heapPerStreamKiB)),
  };
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
