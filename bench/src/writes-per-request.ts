import pg from 'pg';
import { type BenchClient, expectStatus } from './http-client.js';
import { progress } from './progress.js';
import { logSettled, settledWriteCounters } from './write-counters.js';

export const SEQUENTIAL_REQUESTS = 1000;
const APP_TABLE = 'public.session';
const STOCK_TABLE = 'stock_anchor.stock_session';

export interface SessionWrites {
  table: string;
  requests: number;
  writes: number;
  seconds: number;
  /** Age of the session when the run started; ours may touch once if it was over a minute old. */
  sessionAgeSeconds: number;
}

export interface WritesResult {
  app: SessionWrites;
  stock: SessionWrites;
}

export interface SignedInSession {
  client: BenchClient;
  path: string;
  signedInAt: number;
}

/**
 * [L-TOUCH] 1,000 sequential authenticated requests on one session against the app and against
 * the stock anchor, and the database writes to each session table meanwhile.
 */
export async function measureWritesPerRequest(databaseUrl: string, app: SignedInSession, stock: SignedInSession): Promise<WritesResult> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const tables = [APP_TABLE, STOCK_TABLE];
    progress('writes per request: waiting for the write counters to settle before the run');
    const before = await settledWriteCounters(db, tables);
    logSettled('before the run:', before);
    const appRun = await sequential('app', app);
    const stockRun = await sequential('stock', stock);
    progress('writes per request: waiting for the write counters to settle after the run');
    const after = await settledWriteCounters(db, tables);
    logSettled('after the run:', after);
    return {
      app: { table: APP_TABLE, ...appRun, writes: after[APP_TABLE]! - before[APP_TABLE]! },
      stock: { table: STOCK_TABLE, ...stockRun, writes: after[STOCK_TABLE]! - before[STOCK_TABLE]! },
    };
  } finally {
    await db.end();
  }
}

async function sequential(label: string, session: SignedInSession) {
  const started = Date.now();
  for (let i = 0; i < SEQUENTIAL_REQUESTS; i++) {
    expectStatus(await session.client.get(session.path), 200, `${label} GET ${session.path} (request ${i + 1})`);
  }
  const seconds = (Date.now() - started) / 1000;
  progress(`writes per request: ${SEQUENTIAL_REQUESTS} sequential ${label} requests took ${seconds.toFixed(1)} s`);
  return { requests: SEQUENTIAL_REQUESTS, seconds, sessionAgeSeconds: (started - session.signedInAt) / 1000 };
}
