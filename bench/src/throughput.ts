import { createHash } from 'node:crypto';
import { CEILING_SESSION_HEADER } from './ceiling-header.js';
import { BENCH_USER_AGENT } from './http-client.js';
import { load, type LoadResult, type LoadTarget } from './load.js';
import { progress } from './progress.js';
import type { RunningServer } from './servers.js';
import { SESSION_COOKIE } from './sign-in.js';
import { cpuPerRequest, idleCpuMicrosPerSecond } from './process-cpu.js';
import { mean } from './stats.js';

export const CONNECTIONS = 50;
export const DURATION_SECONDS = 10;
export const WARM_UP_SECONDS = 3;
export const ROUNDS = 3;

export const THROUGHPUT_ORDER = ['bare', 'ceiling', 'app', 'stock'] as const;
export type ThroughputKey = (typeof THROUGHPUT_ORDER)[number];

/** One autocannon run and the CPU its server spent on it. */
export interface ThroughputRun extends LoadResult {
  /** The server process's user + system CPU over the run, less its background CPU, per request served (µs). */
  cpuMicrosPerRequest: number;
}

export interface TargetThroughput {
  label: string;
  route: string;
  rounds: ThroughputRun[];
  meanRequestsPerSecond: number;
  meanCpuMicrosPerRequest: number;
}

export interface ThroughputResult {
  bare: TargetThroughput;
  ceiling: TargetThroughput;
  app: TargetThroughput;
  stock: TargetThroughput;
  /** Ratios of the means. */
  appOverBare: number;
  appOverCeiling: number;
  ceilingOverBare: number;
  stockOverBare: number;
  /** CPU per request, as fractions: bare CPU / app CPU is app/bare when CPU is what limits. */
  cpuBareOverApp: number;
  cpuCeilingOverApp: number;
  /** Within each round, the closest side-by-side pairs. */
  appOverBareByRound: number[];
  appOverCeilingByRound: number[];
  ceilingOverBareByRound: number[];
}

export interface ThroughputTargets {
  bare: RunningServer;
  ceiling: RunningServer;
  app: RunningServer;
  appCookie: string;
  stock: RunningServer;
  stockCookie: string;
}

export interface ThroughputOptions {
  rounds?: number;
  durationSeconds?: number;
}

/**
 * Requests/s of the four routes, alternated (bare, ceiling, app, stock) × rounds after a short
 * warm-up of each, so every round holds four side-by-side runs on the same (shared, noisy) machine.
 */
export async function measureThroughput(targets: ThroughputTargets, options: ThroughputOptions = {}): Promise<ThroughputResult> {
  const roundCount = options.rounds ?? ROUNDS;
  const duration = options.durationSeconds ?? DURATION_SECONDS;
  const routes: Record<ThroughputKey, { route: string; target: LoadTarget; pid: number }> = {
    bare: { route: 'GET /hello', target: loadTarget('bare', targets.bare, '/hello'), pid: targets.bare.pid },
    ceiling: {
      route: 'GET /ceiling',
      target: loadTarget('ceiling', targets.ceiling, '/ceiling', undefined, { [CEILING_SESSION_HEADER]: sessionHashFromCookie(targets.appCookie) }),
      pid: targets.ceiling.pid,
    },
    app: { route: 'GET /api/auth/me', target: loadTarget('app', targets.app, '/api/auth/me', targets.appCookie), pid: targets.app.pid },
    stock: { route: 'GET /me', target: loadTarget('stock', targets.stock, '/me', targets.stockCookie), pid: targets.stock.pid },
  };
  for (const key of THROUGHPUT_ORDER) {
    progress(`throughput: warming up ${routes[key].target.label} for ${WARM_UP_SECONDS} s`);
    await load(routes[key].target, CONNECTIONS, WARM_UP_SECONDS);
  }
  const idle = {} as Record<ThroughputKey, number>;
  for (const key of THROUGHPUT_ORDER) idle[key] = await idleCpuMicrosPerSecond(routes[key].pid);
  progress(`throughput: background CPU with no load, µs/s: ${THROUGHPUT_ORDER.map((key) => `${key} ${idle[key].toFixed(0)}`).join(', ')}`);
  const rounds: Record<ThroughputKey, ThroughputRun[]> = { bare: [], ceiling: [], app: [], stock: [] };
  for (let round = 1; round <= roundCount; round++) {
    for (const key of THROUGHPUT_ORDER) {
      const result = await cpuPerRequest(routes[key].pid, idle[key], () => load(routes[key].target, CONNECTIONS, duration));
      rounds[key].push(result);
      progress(
        `throughput round ${round}/${roundCount}: ${result.label} ${result.requestsPerSecond.toFixed(0)} req/s, ${result.cpuMicrosPerRequest.toFixed(0)} CPU µs/request ` +
          `(p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, ${result.total} requests, all 2xx)`,
      );
    }
    const r = round - 1;
    const rps = (key: ThroughputKey) => rounds[key][r]!.requestsPerSecond;
    const cpu = (key: ThroughputKey) => rounds[key][r]!.cpuMicrosPerRequest;
    progress(
      `throughput round ${round}/${roundCount}: req/s app/bare ${(rps('app') / rps('bare')).toFixed(2)}, ` +
        `app/ceiling ${(rps('app') / rps('ceiling')).toFixed(2)}, ceiling/bare ${(rps('ceiling') / rps('bare')).toFixed(2)}; ` +
        `CPU bare/app ${(cpu('bare') / cpu('app')).toFixed(2)}, ceiling/app ${(cpu('ceiling') / cpu('app')).toFixed(2)}`,
    );
  }
  const summary = (key: ThroughputKey): TargetThroughput => ({
    label: routes[key].target.label,
    route: routes[key].route,
    rounds: rounds[key],
    meanRequestsPerSecond: mean(rounds[key].map((r) => r.requestsPerSecond)),
    meanCpuMicrosPerRequest: mean(rounds[key].map((r) => r.cpuMicrosPerRequest)),
  });
  const [bare, ceiling, app, stock] = [summary('bare'), summary('ceiling'), summary('app'), summary('stock')];
  const byRound = (a: TargetThroughput, b: TargetThroughput) => a.rounds.map((r, i) => r.requestsPerSecond / b.rounds[i]!.requestsPerSecond);
  return {
    bare,
    ceiling,
    app,
    stock,
    appOverBare: app.meanRequestsPerSecond / bare.meanRequestsPerSecond,
    appOverCeiling: app.meanRequestsPerSecond / ceiling.meanRequestsPerSecond,
    ceilingOverBare: ceiling.meanRequestsPerSecond / bare.meanRequestsPerSecond,
    stockOverBare: stock.meanRequestsPerSecond / bare.meanRequestsPerSecond,
    cpuBareOverApp: bare.meanCpuMicrosPerRequest / app.meanCpuMicrosPerRequest,
    cpuCeilingOverApp: ceiling.meanCpuMicrosPerRequest / app.meanCpuMicrosPerRequest,
    appOverBareByRound: byRound(app, bare),
    appOverCeilingByRound: byRound(app, ceiling),
    ceilingOverBareByRound: byRound(ceiling, bare),
  };
}

/** The stored hash of the session in a `__Host-sid=s%3A<id>.<signature>` cookie header: the ceiling looks up that row. */
export function sessionHashFromCookie(cookieHeader: string): string {
  const pair = cookieHeader.split(/;\s*/).find((p) => p.startsWith(`${SESSION_COOKIE}=`));
  if (!pair) throw new Error(`no ${SESSION_COOKIE} in the signed-in cookie header`);
  const signed = decodeURIComponent(pair.slice(SESSION_COOKIE.length + 1));
  const sessionId = signed.slice(2, signed.lastIndexOf('.'));
  return createHash('sha256').update(sessionId).digest('hex');
}

export function loadTarget(label: string, server: RunningServer, path: string, cookie?: string, extra: Record<string, string> = {}): LoadTarget {
  const headers: Record<string, string> = { host: server.host, 'user-agent': BENCH_USER_AGENT, accept: 'application/json', ...extra };
  if (cookie) headers.cookie = cookie;
  return { label: `${label} ${path}`, url: `${server.url}${path}`, headers };
}
