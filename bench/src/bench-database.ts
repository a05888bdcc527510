import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { startEmbeddedPostgres } from '@sessionkeep/api/prisma/embedded-postgres';
import { migrate } from '@sessionkeep/api/prisma/migrate';
import { MIGRATIONS_DIR, redactUrl } from '@sessionkeep/api/prisma/open-database';
import { progress } from './progress.js';
import { onTeardown } from './teardown.js';

export interface BenchDatabase {
  url: string;
  /** Where the server came from, for the report. */
  source: 'embedded PostgreSQL' | 'DATABASE_URL';
}

/**
 * A fresh, migrated database for this run only: a new database on DATABASE_URL's server (dropped
 * at the end), or else an embedded PostgreSQL in a temporary folder (stopped and deleted at the end).
 */
export async function openBenchDatabase(logger: Logger): Promise<BenchDatabase> {
  const database = process.env.DATABASE_URL ? await createOnServer(process.env.DATABASE_URL) : await startEmbedded(logger);
  progress(`migrating ${redactUrl(database.url)}`);
  await migrate(database.url, MIGRATIONS_DIR, logger);
  return database;
}

async function createOnServer(serverUrl: string): Promise<BenchDatabase> {
  const name = `sessionkeep_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  onTeardown(`drop database ${name}`, () => dropDatabase(serverUrl, name));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  progress(`created database ${name} on DATABASE_URL's server`);
  return { url: url.toString(), source: 'DATABASE_URL' };
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function startEmbedded(logger: Logger): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sessionkeep-bench-'));
  onTeardown(`delete ${dataDir}`, () => rmSync(dataDir, { recursive: true, force: true }));
  progress(`starting an embedded PostgreSQL in ${dataDir}`);
  const server = await startEmbeddedPostgres(dataDir, logger, 'sessionkeep_bench');
  onTeardown('stop the embedded PostgreSQL', () => server.stop());
  return { url: server.url, source: 'embedded PostgreSQL' };
}
