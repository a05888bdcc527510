import { createRequire } from 'node:module';

export interface LoadTarget {
  label: string;
  url: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  label: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  total: number;
}

/** The part of autocannon's result this bench reads (autocannon ships no types). */
interface AutocannonResult {
  duration: number;
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  statusCodeStats: Record<string, { count: number }>;
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  overallRate?: number;
}) => PromiseLike<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/**
 * Runs autocannon against one target (as fast as it answers, or at `overallRate` requests/s in
 * all) and fails loudly unless every answer was a 2xx: a benchmark
 * of 401s or resets measures nothing.
 */
export async function load(target: LoadTarget, connections: number, durationSeconds: number, overallRate?: number): Promise<LoadResult> {
  const result = await autocannon({ url: target.url, connections, duration: durationSeconds, headers: target.headers, ...(overallRate ? { overallRate } : {}) });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0 || result['2xx'] === 0) {
    const codes = Object.entries(result.statusCodeStats)
      .map(([code, { count }]) => `${code}×${count}`)
      .join(', ');
    throw new Error(
      `${target.label}: ${result.non2xx} non-2xx answers (${codes || 'none'}), ${result.errors} errors, ${result.timeouts} timeouts out of ${result.requests.total} requests`,
    );
  }
  return {
    label: target.label,
    requestsPerSecond: result['2xx'] / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    total: result.requests.total,
  };
}
