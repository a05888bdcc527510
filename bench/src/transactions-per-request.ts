import pg from 'pg';
import { type BenchClient, expectStatus } from './http-client.js';
import { progress, sleep } from './progress.js';

const REQUESTS = 1000;
/** Since PostgreSQL 15 a backend reports its counts up to ~10 s late: read only after this much quiet. */
const SETTLE_MS = 12_000;

export interface TransactionsPerRequest {
  requests: number;
  /** Committed + rolled-back transactions of the bench database over the run window. */
  transactions: number;
  /** What the app's own jobs (mail queue polling, live-listener pings) commit in a window as long, measured just before. */
  background: number;
  perRequest: number;
}

/**
 * SPEC: `/me` runs one query, and the second factor, email and location features add none. Counted
 * from PostgreSQL's side (pg_stat_database's xact_commit + xact_rollback of the bench database; every
 * statement outside a transaction block is one transaction): an idle window first, for the app's
 * background jobs, then an equally long window holding 1,000 sequential `/me` requests.
 * (pg_stat_statements would count statements, but it needs shared_preload_libraries.)
 */
export async function measureTransactionsPerRequest(databaseUrl: string, client: BenchClient, path: string): Promise<TransactionsPerRequest> {
  const benchDatabase = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  // The counting connection sits in another database, so its own reads are not counted.
  const monitorUrl = new URL(databaseUrl);
  monitorUrl.pathname = '/postgres';
  const monitor = new pg.Client({ connectionString: monitorUrl.toString() });
  await monitor.connect();
  const count = async () => {
    const { rows } = await monitor.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1', [benchDatabase]);
    return Number(rows[0]!.n);
  };
  try {
    progress(`transactions per request: waiting ${SETTLE_MS / 1000} s for the counters to settle`);
    await sleep(SETTLE_MS);
    const c0 = await count();
    const t0 = Date.now();
    const started = Date.now();
    for (let i = 0; i < REQUESTS; i++) expectStatus(await client.get(path), 200, `GET ${path} (request ${i + 1})`);
    const runMs = Date.now() - started;
    await sleep(SETTLE_MS);
    const c1 = await count();
    const windowMs = Date.now() - t0;
    // The same window again with no requests: the app's background transactions.
    await sleep(windowMs);
    const c2 = await count();
    const transactions = c1 - c0;
    const background = c2 - c1;
    const result = { requests: REQUESTS, transactions, background, perRequest: (transactions - background) / REQUESTS };
    progress(
      `transactions per request: ${transactions} transactions in a ${(windowMs / 1000).toFixed(0)} s window holding ${REQUESTS} sequential ${path} ` +
        `(${(runMs / 1000).toFixed(1)} s); ${background} in the next, idle, window of the same length: ${result.perRequest.toFixed(3)} per request`,
    );
    return result;
  } finally {
    await monitor.end();
  }
}
