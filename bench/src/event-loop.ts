import { BenchClient, BENCH_USER_AGENT } from './http-client.js';
import { load, type LoadResult, type LoadTarget } from './load.js';
import { progress } from './progress.js';
import type { RunningServer } from './servers.js';
import { type Account, signIn } from './sign-in.js';

export const HEALTH_CONNECTIONS = 10;
export const HEALTH_SECONDS = 8;
export const SIGN_IN_LOOPS = 6;
/** A steady rate far below capacity: latency without the queueing of a saturating closed loop. */
export const PACED_RATE = 50;

export interface EventLoopResult {
  idle: LoadResult;
  underSignIns: LoadResult;
  signIns: number;
  signInsPerSecond: number;
  /**
   * The bare server's /hello under the same sign-in load: on a 2-core machine the hashing takes
   * CPU from every process, so this tells a busy machine from a blocked event loop.
   */
  bareUnderSignIns: LoadResult;
  /**
   * /api/health at a steady PACED_RATE req/s under the same sign-in load. The closed loop of
   * HEALTH_CONNECTIONS keeps the app saturated, so its p99 includes waiting behind the other
   * in-flight requests; this one shows what a single request waits.
   */
  pacedUnderSignIns: LoadResult;
}

/**
 * "Sign-in hashing never blocks the event loop": /api/health latency alone, then while
 * SIGN_IN_LOOPS loops sign in as fast as they can (csrf → login, each with a fresh cookie jar).
 */
export async function measureEventLoop(app: RunningServer, bare: RunningServer, accounts: readonly Account[]): Promise<EventLoopResult> {
  const health = target('app /api/health', app, '/api/health');
  progress(`event loop: /api/health alone, ${HEALTH_CONNECTIONS} connections for ${HEALTH_SECONDS} s`);
  const idle = await load(health, HEALTH_CONNECTIONS, HEALTH_SECONDS);
  progress(`event loop: alone p50 ${idle.latencyP50Ms} ms, p99 ${idle.latencyP99Ms} ms (${idle.requestsPerSecond.toFixed(0)} req/s)`);

  progress(`event loop: /api/health again while ${SIGN_IN_LOOPS} loops sign in`);
  const underSignIns = await whileSigningIn(app, accounts, health);
  progress(
    `event loop: under sign-ins p50 ${underSignIns.result.latencyP50Ms} ms, p99 ${underSignIns.result.latencyP99Ms} ms; ` +
      `${underSignIns.signIns} sign-ins in ${underSignIns.seconds.toFixed(1)} s (${(underSignIns.signIns / underSignIns.seconds).toFixed(1)}/s)`,
  );

  progress(`event loop: /api/health at a steady ${PACED_RATE} req/s under the same sign-in load`);
  const paced = await whileSigningIn(app, accounts, health, PACED_RATE);
  progress(`event loop: paced /api/health under sign-ins p50 ${paced.result.latencyP50Ms} ms, p99 ${paced.result.latencyP99Ms} ms`);

  progress('event loop: control, the bare server under the same sign-in load');
  const control = await whileSigningIn(app, accounts, target('bare /hello', bare, '/hello'));
  progress(`event loop: bare /hello under sign-ins p50 ${control.result.latencyP50Ms} ms, p99 ${control.result.latencyP99Ms} ms`);

  return {
    idle,
    underSignIns: underSignIns.result,
    signIns: underSignIns.signIns,
    signInsPerSecond: underSignIns.signIns / underSignIns.seconds,
    bareUnderSignIns: control.result,
    pacedUnderSignIns: paced.result,
  };
}

const target = (label: string, server: RunningServer, path: string): LoadTarget => ({
  label,
  url: `${server.url}${path}`,
  headers: { host: server.host, 'user-agent': BENCH_USER_AGENT },
});

interface SignInState {
  stop: boolean;
  signIns: number;
  failure?: Error;
}

/** Loads `measured` for HEALTH_SECONDS while the sign-in loops run against the app. */
async function whileSigningIn(app: RunningServer, accounts: readonly Account[], measured: LoadTarget, rate?: number) {
  const state: SignInState = { stop: false, signIns: 0 };
  const loops = Array.from({ length: SIGN_IN_LOOPS }, (_, i) => signInLoop(app.port, accounts[i % accounts.length]!, state));
  const started = performance.now();
  let result: LoadResult;
  try {
    result = await load(measured, HEALTH_CONNECTIONS, HEALTH_SECONDS, rate);
  } finally {
    state.stop = true;
    await Promise.all(loops);
  }
  // A failed sign-in makes the figures meaningless: fail loudly, once every loop has stopped.
  if (state.failure) throw state.failure;
  return { result, signIns: state.signIns, seconds: (performance.now() - started) / 1000 };
}

async function signInLoop(port: number, account: Account, state: SignInState): Promise<void> {
  const client = new BenchClient(port);
  try {
    while (!state.stop) {
      await signIn(port, account, client);
      state.signIns++;
    }
  } catch (error) {
    state.stop = true;
    state.failure ??= error as Error;
  } finally {
    client.close();
  }
}
