import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { AppModule } from '@sessionkeep/api/app.module';
import { createLogger } from '@sessionkeep/api/common/logger';
import { loadConfig } from '@sessionkeep/api/config/config';
import { PrismaService } from '@sessionkeep/api/prisma/prisma.service';
import { SessionPruner } from '@sessionkeep/api/sessions/session-pruner';
import { progress, sleep } from './progress.js';
import { LOOKUP_SQL } from './scale.js';
import { sessionIdOf } from './session-rows.js';
import { summarize, type Timing, timeUs } from './stats.js';

/** sids are hex: those starting below "1a" are 26/256 ≈ 10 % of the rows. */
const EXPIRED_PREFIX_BELOW = '1a';

export interface PruneResult {
  sessionsBefore: number;
  expired: number;
  pruned: { sessions: number; tombstones: number; rememberTokens: number };
  seconds: number;
  /** Lock modes seen on `session`, by holder: "app pruner", "bench lookup", "autovacuum". */
  locks: Record<string, string[]>;
  lockSamples: number;
  /** Samples in which the concurrent lookup's backend was waiting for another backend. */
  lookupBlockedSamples: number;
  lookupsDuringPrune: Timing;
}

/**
 * [L-PRUNE] The app's own pruner at 1,000,000 rows with ~10 % expired: its duration, the locks it
 * takes on `session`, and whether session lookups running meanwhile are held up.
 */
export async function measurePrune(databaseUrl: string, sessionSecret: string, dataDir: string, sessions: number): Promise<PruneResult> {
  const [admin, sampler, looker] = [0, 1, 2].map(() => new pg.Client({ connectionString: databaseUrl }));
  await Promise.all([admin!.connect(), sampler!.connect(), looker!.connect()]);
  const logger = createLogger('warn');
  // SMTP_URL: the app's mail worker starts with it, and this measurement sends no mail.
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'warn', DATABASE_URL: databaseUrl, SESSION_SECRET: sessionSecret, DATA_DIR: dataDir, SMTP_URL: 'smtp://127.0.0.1:1' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, databaseUrl, logger), { logger: false });
  try {
    const expired = (await admin!.query(`UPDATE session SET expire = now() - interval '1 minute' WHERE substr(sid, 1, 2) < $1`, [EXPIRED_PREFIX_BELOW])).rowCount ?? 0;
    await admin!.query('ANALYZE session');
    progress(`prune: ${expired.toLocaleString('en')} of ${sessions.toLocaleString('en')} sessions are now expired; running the app's SessionPruner`);
    await app.get(PrismaService).$queryRaw`SELECT 1`; // the pool's first connection is not part of the prune

    const lookerPid = (await looker!.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const state = { running: true };
    const locks = new Map<string, Set<string>>();
    const sampling = sampleLocks(sampler!, lookerPid, state, locks);
    const looking = lookUpLiveSessions(looker!, sessions, state);

    const started = performance.now();
    let pruned: PruneResult['pruned'];
    try {
      pruned = await app.get(SessionPruner).prune();
    } finally {
      state.running = false;
    }
    const seconds = (performance.now() - started) / 1000;
    const [{ samples, blocked }, lookupSamples] = await Promise.all([sampling, looking]);
    if (pruned.sessions !== expired) throw new Error(`the pruner deleted ${pruned.sessions} sessions, but ${expired} were expired`);
    const result: PruneResult = {
      sessionsBefore: sessions,
      expired,
      pruned,
      seconds,
      locks: Object.fromEntries([...locks].map(([holder, modes]) => [holder, [...modes].sort()])),
      lockSamples: samples,
      lookupBlockedSamples: blocked,
      lookupsDuringPrune: summarize(lookupSamples),
    };
    progress(
      `prune: ${pruned.sessions.toLocaleString('en')} sessions pruned in ${seconds.toFixed(2)} s; locks on session: ${describeLocks(result.locks)}; ` +
        `${lookupSamples.length} lookups meanwhile, max ${(result.lookupsDuringPrune.maxUs / 1000).toFixed(1)} ms, blocked in ${blocked}/${samples} samples`,
    );
    return result;
  } finally {
    await app.close();
    await Promise.all([admin!.end(), sampler!.end(), looker!.end()]);
  }
}

export const describeLocks = (locks: Record<string, string[]>): string =>
  Object.entries(locks)
    .map(([holder, modes]) => `${holder}: ${modes.join(', ')}`)
    .join('; ') || 'none seen';

async function sampleLocks(client: pg.Client, lookerPid: number, state: { running: boolean }, locks: Map<string, Set<string>>) {
  let samples = 0;
  let blocked = 0;
  while (state.running) {
    const { rows } = await client.query<{ pid: number; mode: string; granted: boolean; backend_type: string | null }>(
      `SELECT l.pid, l.mode, l.granted, a.backend_type
       FROM pg_locks l JOIN pg_class c ON c.oid = l.relation LEFT JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE c.relname = 'session' AND l.pid <> pg_backend_pid()`,
    );
    const waiting = await client.query<{ blockers: number }>('SELECT cardinality(pg_blocking_pids($1)) AS blockers', [lookerPid]);
    samples++;
    if (waiting.rows[0]!.blockers > 0) blocked++;
    for (const row of rows) {
      const holder = row.pid === lookerPid ? 'bench lookup' : row.backend_type === 'client backend' ? 'app pruner' : (row.backend_type ?? 'other');
      if (!locks.has(holder)) locks.set(holder, new Set());
      locks.get(holder)!.add(row.granted ? row.mode : `${row.mode} (waiting)`);
    }
    await sleep(5);
  }
  return { samples, blocked };
}

/** Lookups of live sessions, one after another, for as long as the prune runs. */
async function lookUpLiveSessions(client: pg.Client, sessions: number, state: { running: boolean }): Promise<number[]> {
  const samples: number[] = [];
  while (state.running) {
    const sid = sessionIdOf(Math.floor(Math.random() * sessions));
    if (sid.slice(0, 2) < EXPIRED_PREFIX_BELOW) continue;
    samples.push(await timeUs(() => client.query(LOOKUP_SQL, [sid])));
  }
  return samples;
}
