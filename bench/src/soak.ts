import pg from 'pg';
import { BenchClient, expectStatus } from './http-client.js';
import { load, type LoadResult, type LoadTarget } from './load.js';
import { progress, sleep } from './progress.js';
import type { RunningServer } from './servers.js';
import { type Account, fetchCsrfToken, signIn } from './sign-in.js';

export const SOAK_LOOPS = 4;
/** /me at a steady rate from one long-lived session, beside the loops. */
export const SOAK_ME_RATE = 200;
const ME_PER_LOOP = 20;

interface MemoryUsage {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

export interface SoakSample {
  minute: number;
  rssMiB: number;
  heapUsedMiB: number;
  /** heapUsed right after a full GC: what is really retained. */
  heapAfterGcMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  liveSessions: number;
  signIns: number;
  revocations: number;
  requests: number;
}

export interface SoakResult {
  minutes: number;
  samples: SoakSample[];
  steadyMe: LoadResult;
}

interface SoakState {
  stop: boolean;
  failure?: Error;
  signIns: number;
  revocations: number;
  requests: number;
}

const MiB = (bytes: number) => bytes / 1024 ** 2;

/**
 * Mixed load for `minutes`: SOAK_LOOPS loops that each sign in (argon2id), ask /me
 * ME_PER_LOOP times, list their devices and revoke the session their previous round left, while
 * autocannon sends /me at SOAK_ME_RATE req/s on one long-lived session. The app's RSS and heap
 * (after a forced full GC, through the probe) are sampled every minute.
 */
export async function measureSoak(app: RunningServer, databaseUrl: string, meCookie: string, accounts: readonly Account[], minutes: number): Promise<SoakResult> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const state: SoakState = { stop: false, signIns: 0, revocations: 0, requests: 0 };
  const sample = async (minute: number): Promise<SoakSample> => {
    const { after, before } = await app.probe<{ before: MemoryUsage; after: MemoryUsage }>('memory');
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM session WHERE expire > now()');
    const s: SoakSample = {
      minute,
      rssMiB: MiB(after.rss),
      heapUsedMiB: MiB(before.heapUsed),
      heapAfterGcMiB: MiB(after.heapUsed),
      heapTotalMiB: MiB(after.heapTotal),
      externalMiB: MiB(after.external),
      liveSessions: Number(rows[0]!.n),
      signIns: state.signIns,
      revocations: state.revocations,
      requests: state.requests,
    };
    progress(
      `soak ${minute} min: RSS ${s.rssMiB.toFixed(1)} MiB, heap ${s.heapUsedMiB.toFixed(1)} → ${s.heapAfterGcMiB.toFixed(1)} MiB after GC ` +
        `(total ${s.heapTotalMiB.toFixed(1)}), external ${s.externalMiB.toFixed(1)} MiB, ${s.liveSessions} live sessions, ` +
        `${s.signIns} sign-ins, ${s.revocations} revocations, ${s.requests} loop requests`,
    );
    return s;
  };
  try {
    const samples = [await sample(0)];
    const me: LoadTarget = {
      label: 'soak /api/auth/me',
      url: `${app.url}/api/auth/me`,
      headers: { host: app.host, accept: 'application/json', cookie: meCookie },
    };
    const steady = load(me, 10, minutes * 60, SOAK_ME_RATE);
    const loops = accounts.map((account) => soakLoop(app.port, account, state));
    for (let minute = 1; minute <= minutes; minute++) {
      await sleep(60_000);
      if (state.failure) break;
      samples.push(await sample(minute));
    }
    state.stop = true;
    const [steadyMe] = await Promise.all([steady, ...loops]);
    if (state.failure) throw state.failure;
    return { minutes, samples, steadyMe: steadyMe as LoadResult };
  } finally {
    state.stop = true;
    await db.end();
  }
}

async function soakLoop(port: number, account: Account, state: SoakState): Promise<void> {
  const client = new BenchClient(port);
  try {
    while (!state.stop) {
      await signIn(port, account, client);
      state.signIns++;
      for (let i = 0; i < ME_PER_LOOP && !state.stop; i++) {
        expectStatus(await client.get('/api/auth/me'), 200, 'soak GET /api/auth/me');
        state.requests++;
      }
      const { sessions } = expectStatus(await client.get('/api/sessions'), 200, 'soak GET /api/sessions').json<{
        sessions: { id: string; current: boolean; active: boolean }[];
      }>();
      state.requests++;
      const csrfToken = await fetchCsrfToken(client);
      for (const other of sessions.filter((s) => !s.current && s.active)) {
        expectStatus(await client.request('DELETE', `/api/sessions/${other.id}`, undefined, { 'x-csrf-token': csrfToken }), 204, 'soak DELETE /api/sessions/:id');
        state.revocations++;
      }
    }
  } catch (error) {
    state.stop = true;
    state.failure ??= error as Error;
  } finally {
    client.close();
  }
}
