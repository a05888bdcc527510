import type pg from 'pg';
import { progress, sleep } from './progress.js';

export type WriteCounters = Record<string, number>;

/** Rows inserted + updated + deleted per table ("schema.table"), as PostgreSQL's statistics report them. */
export async function readWriteCounters(client: pg.Client, tables: readonly string[]): Promise<WriteCounters> {
  const { rows } = await client.query<{ relname: string; writes: string }>(
    `SELECT schemaname || '.' || relname AS relname, n_tup_ins + n_tup_upd + n_tup_del AS writes
     FROM pg_stat_user_tables WHERE schemaname || '.' || relname = ANY($1)`,
    [tables],
  );
  const counters = Object.fromEntries(tables.map((table) => [table, 0]));
  for (const row of rows) counters[row.relname] = Number(row.writes);
  return counters;
}

const FIRST_READ_AFTER_MS = 11_000;
const POLL_MS = 2_000;
const GIVE_UP_AFTER_MS = 60_000;

/**
 * Since PostgreSQL 15 another backend's counts can reach the statistics up to ~10 s late, so the
 * counters are read only after 11 s of quiet and until two reads 2 s apart agree.
 */
export async function settledWriteCounters(client: pg.Client, tables: readonly string[]): Promise<WriteCounters> {
  const started = Date.now();
  await sleep(FIRST_READ_AFTER_MS);
  let previous = await readWriteCounters(client, tables);
  while (Date.now() - started < GIVE_UP_AFTER_MS) {
    await sleep(POLL_MS);
    const current = await readWriteCounters(client, tables);
    if (tables.every((table) => current[table] === previous[table])) return current;
    previous = current;
  }
  throw new Error(`the write counters of ${tables.join(', ')} kept changing for ${GIVE_UP_AFTER_MS / 1000} s: is something else writing?`);
}

export function describeCounters(counters: WriteCounters): string {
  return Object.entries(counters)
    .map(([table, writes]) => `${table}=${writes}`)
    .join(', ');
}

export const logSettled = (label: string, counters: WriteCounters) => progress(`${label} write counters settled: ${describeCounters(counters)}`);
