import pg from 'pg';
import { progress } from './progress.js';
import { insertSessions, insertUsers, SESSIONS_PER_USER, sessionIdOf, userIdOf } from './session-rows.js';
import { summarize, type Timing, timeUs } from './stats.js';

export const SMALL = 1_000;
export const LARGE = 1_000_000;
const GROW_BATCH = 100_000;
const LOOKUPS = 2_000;
const LISTS = 500;
const WARM_UP = 200;

/**
 * What the app's HashedSessionStore.get() runs on every authenticated request: the session and its
 * user's current row in one query. A copy: keep it in step with the store.
 */
export const LOOKUP_SQL = `SELECT s.sess, u.id, u.email, u.name, u.role
  FROM session s LEFT JOIN users u ON u.id = s.user_id
  WHERE s.sid = $1 AND s.expire >= now()`;
/** connect-pg-simple's own get(), the query the store wraps for everything else. */
export const STORE_GET_SQL = 'SELECT sess FROM "session" WHERE sid = $1 AND expire >= to_timestamp($2)';
/** The session list of one user [D-LIST]. */
export const LIST_SQL = 'SELECT sid, sess FROM session WHERE user_id = $1 AND expire > now()';

export interface ScaleSample {
  sessions: number;
  users: number;
  lookup: Timing;
  storeGet: Timing;
  list: Timing;
  lookupPlan: string;
  listPlan: string;
  tableSize: string;
}

export interface ScaleResult {
  small: ScaleSample;
  large: ScaleSample;
  growSeconds: number;
}

/** Session lookup and a user's session list at 1,000 and at 1,000,000 rows, straight on the database. */
export async function measureScale(databaseUrl: string): Promise<ScaleResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Start from an empty table: earlier phases left their own sessions.
    await client.query('TRUNCATE session');
    await insertUsers(client, 0, SMALL / SESSIONS_PER_USER);
    await insertSessions(client, 0, SMALL);
    await settle(client);
    const small = await measureAt(client, SMALL);

    const started = performance.now();
    progress(`scale: adding ${(LARGE / SESSIONS_PER_USER).toLocaleString('en')} users in all`);
    await insertUsers(client, SMALL / SESSIONS_PER_USER, LARGE / SESSIONS_PER_USER);
    for (let from = SMALL, to = 0; from < LARGE; from = to) {
      to = Math.min(LARGE, (Math.floor(from / GROW_BATCH) + 1) * GROW_BATCH);
      await insertSessions(client, from, to);
      progress(`scale: ${to.toLocaleString('en')} sessions (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM session');
    if (Number(rows[0]!.count) !== LARGE) throw new Error(`the session table holds ${rows[0]!.count} rows, expected ${LARGE}`);
    progress('scale: VACUUM ANALYZE, CHECKPOINT');
    await settle(client);
    const growSeconds = (performance.now() - started) / 1000;
    const large = await measureAt(client, LARGE);
    return { small, large, growSeconds };
  } finally {
    await client.end();
  }
}

/**
 * Statistics and visibility as autovacuum would leave them, and the bulk load's dirty pages written
 * out, so lookups do not pay for evicting them. CHECKPOINT needs a privileged role on an external
 * server; without it the run goes on.
 */
async function settle(client: pg.Client): Promise<void> {
  await client.query('VACUUM ANALYZE session');
  await client.query('ANALYZE users');
  await client.query('CHECKPOINT').catch((error: Error) => progress(`scale: CHECKPOINT not allowed (${error.message}); measuring anyway`));
}

async function measureAt(client: pg.Client, sessions: number): Promise<ScaleSample> {
  const users = sessions / SESSIONS_PER_USER;
  const randomSession = () => sessionIdOf(Math.floor(Math.random() * sessions));
  const randomUser = () => userIdOf(Math.floor(Math.random() * users));
  const lookup = async (sid: string) => {
    const { rows } = await client.query<{ id: string | null }>(LOOKUP_SQL, [sid]);
    if (rows.length !== 1 || !rows[0]!.id) throw new Error(`session lookup found ${rows.length} rows (or no user) for an existing session`);
  };
  const storeGet = async (sid: string) => {
    const { rowCount } = await client.query(STORE_GET_SQL, [sid, Date.now() / 1000]);
    if (rowCount !== 1) throw new Error(`connect-pg-simple's get found ${rowCount} rows for an existing session`);
  };
  const list = async (userId: string) => {
    const { rowCount } = await client.query(LIST_SQL, [userId]);
    if (rowCount !== SESSIONS_PER_USER) throw new Error(`session list found ${rowCount} rows, expected ${SESSIONS_PER_USER}`);
  };

  for (let i = 0; i < WARM_UP; i++) await lookup(randomSession());
  for (let i = 0; i < WARM_UP; i++) await storeGet(randomSession());
  for (let i = 0; i < WARM_UP / 4; i++) await list(randomUser());
  const lookupSamples: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) lookupSamples.push(await timeUs(() => lookup(randomSession())));
  const storeGetSamples: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) storeGetSamples.push(await timeUs(() => storeGet(randomSession())));
  const listSamples: number[] = [];
  for (let i = 0; i < LISTS; i++) listSamples.push(await timeUs(() => list(randomUser())));

  const sample: ScaleSample = {
    sessions,
    users,
    lookup: summarize(lookupSamples),
    storeGet: summarize(storeGetSamples),
    list: summarize(listSamples),
    lookupPlan: await plan(client, LOOKUP_SQL, [randomSession()]),
    listPlan: await plan(client, LIST_SQL, [randomUser()]),
    tableSize: (await client.query<{ size: string }>(`SELECT pg_size_pretty(pg_total_relation_size('session')) AS size`)).rows[0]!.size,
  };
  progress(
    `scale at ${sessions.toLocaleString('en')} sessions (${sample.tableSize}): lookup mean ${sample.lookup.meanUs.toFixed(0)} µs ` +
      `p99 ${sample.lookup.p99Us.toFixed(0)} µs [${sample.lookupPlan}]; store get mean ${sample.storeGet.meanUs.toFixed(0)} µs; list mean ${sample.list.meanUs.toFixed(0)} µs ` +
      `p99 ${sample.list.p99Us.toFixed(0)} µs [${sample.listPlan}]`,
  );
  return sample;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The plan's shape, e.g. "Nested Loop (Index Scan using session_pkey, Index Scan using users_pkey)". */
async function plan(client: pg.Client, sql: string, values: unknown[]): Promise<string> {
  const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${sql}`, values);
  const describe = (node: PlanNode): string => {
    const name = node['Index Name'] ? `${node['Node Type']} using ${node['Index Name']}` : node['Relation Name'] ? `${node['Node Type']} on ${node['Relation Name']}` : node['Node Type'];
    return node.Plans?.length ? `${name} (${node.Plans.map(describe).join(', ')})` : name;
  };
  const root = rows[0]?.['QUERY PLAN'][0].Plan;
  return root ? describe(root) : 'no plan';
}
