import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/prisma/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server where each test file creates its own database. */
    adminDatabaseUrl: string;
  }
}

/** Real PostgreSQL for the integration tests: DATABASE_URL when set, else a throwaway embedded server. */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('adminDatabaseUrl', process.env.DATABASE_URL);
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'sessionkeep-test-'));
  const database = await startEmbeddedPostgres(dataDir, pino({ level: 'warn' }));
  project.provide('adminDatabaseUrl', database.url);
  return async () => {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
