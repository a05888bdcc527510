import { signInDevices } from './live-devices.js';
import { measureLiveLatency, type LiveLatencyResult } from './live-latency.js';
import { LIVE_ROUNDS, measureLiveLoad, type LiveLoadResult } from './live-load.js';
import { progress } from './progress.js';
import { SERVERS, startServer } from './servers.js';
import { newAccount, register } from './sign-in.js';

/** 100 users × 10 sessions: 1,000 streams, 10 per user, under the default cap of 20 per user and instance. */
export const LIVE_USERS = 100;
export const LIVE_SESSIONS_PER_USER = 10;

export interface LiveResult {
  load: LiveLoadResult;
  latency: LiveLatencyResult;
}

/**
 * [D-LIVE] Two app instances on one database (same DATABASE_URL and SESSION_SECRET, own ports),
 * LIVE_USERS × LIVE_SESSIONS_PER_USER sessions signed in through the API; then memory and
 * /api/auth/me throughput on instance one with and without a stream per session, then
 * commit-to-event latency with the streams spread over both.
 */
export async function measureLive(env: Record<string, string>, databaseUrl: string, rounds = LIVE_ROUNDS): Promise<LiveResult> {
  // Instance one answers the probe's memory question after a forced GC; the probe only counts socket writes besides.
  const [one, two] = await Promise.all([
    startServer({ ...SERVERS.app, name: 'app1' }, env, { nodeArgs: ['--expose-gc'], probe: true }),
    startServer({ ...SERVERS.app, name: 'app2' }, env),
  ]);
  try {
    progress(`live: signing in ${LIVE_USERS} users × ${LIVE_SESSIONS_PER_USER} sessions through the API, over both instances`);
    const users = await signInDevices([one, two], LIVE_USERS, LIVE_SESSIONS_PER_USER);
    const meClient = await register(one.port, newAccount('live-me'));
    const load = await measureLiveLoad(one, users, meClient.cookieHeader(), rounds);
    meClient.close();
    const latency = await measureLiveLatency(one, two, users, databaseUrl);
    return { load, latency };
  } finally {
    await Promise.all([one.stop(), two.stop()]);
  }
}
