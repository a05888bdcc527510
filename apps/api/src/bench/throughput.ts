import { BENCH_USER_AGENT } from './http-client.js';
import { load, type LoadResult, type LoadTarget } from './load.js';
import { progress } from './progress.js';
import type { RunningServer } from './servers.js';
import { mean } from './stats.js';

export const CONNECTIONS = 50;
export const DURATION_SECONDS = 10;
const WARM_UP_SECONDS = 3;
const ROUNDS = 2;

export interface TargetThroughput {
  label: string;
  route: string;
  rounds: LoadResult[];
  meanRequestsPerSecond: number;
}

export interface ThroughputResult {
  bare: TargetThroughput;
  app: TargetThroughput;
  stock: TargetThroughput;
  /** Ratios of the means. */
  appOverBare: number;
  stockOverBare: number;
  /** app/bare within each round, the closest side-by-side pairs. */
  appOverBareByRound: number[];
}

export interface ThroughputTargets {
  bare: RunningServer;
  app: RunningServer;
  appCookie: string;
  stock: RunningServer;
  stockCookie: string;
}

/** Requests/s of the three routes, alternated (bare, app, stock) × ROUNDS after a short warm-up of each. */
export async function measureThroughput(targets: ThroughputTargets): Promise<ThroughputResult> {
  const routes = {
    bare: { route: 'GET /hello', target: target('bare', targets.bare, '/hello') },
    app: { route: 'GET /api/auth/me', target: target('app', targets.app, '/api/auth/me', targets.appCookie) },
    stock: { route: 'GET /me', target: target('stock', targets.stock, '/me', targets.stockCookie) },
  };
  const order = ['bare', 'app', 'stock'] as const;
  for (const key of order) {
    progress(`throughput: warming up ${routes[key].target.label} for ${WARM_UP_SECONDS} s`);
    await load(routes[key].target, CONNECTIONS, WARM_UP_SECONDS);
  }
  const rounds: Record<(typeof order)[number], LoadResult[]> = { bare: [], app: [], stock: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    for (const key of order) {
      const result = await load(routes[key].target, CONNECTIONS, DURATION_SECONDS);
      rounds[key].push(result);
      progress(
        `throughput round ${round}/${ROUNDS}: ${result.label} ${result.requestsPerSecond.toFixed(0)} req/s ` +
          `(p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, ${result.total} requests, all 2xx)`,
      );
    }
  }
  const summary = (key: (typeof order)[number]): TargetThroughput => ({
    label: routes[key].target.label,
    route: routes[key].route,
    rounds: rounds[key],
    meanRequestsPerSecond: mean(rounds[key].map((r) => r.requestsPerSecond)),
  });
  const [bare, app, stock] = [summary('bare'), summary('app'), summary('stock')];
  return {
    bare,
    app,
    stock,
    appOverBare: app.meanRequestsPerSecond / bare.meanRequestsPerSecond,
    stockOverBare: stock.meanRequestsPerSecond / bare.meanRequestsPerSecond,
    appOverBareByRound: app.rounds.map((r, i) => r.requestsPerSecond / bare.rounds[i]!.requestsPerSecond),
  };
}

function target(label: string, server: RunningServer, path: string, cookie?: string): LoadTarget {
  const headers: Record<string, string> = { host: server.host, 'user-agent': BENCH_USER_AGENT, accept: 'application/json' };
  if (cookie) headers.cookie = cookie;
  return { label: `${label} ${path}`, url: `${server.url}${path}`, headers };
}
