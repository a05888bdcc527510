import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config.js';
import type { RunningDatabase } from './embedded-postgres.js';
import { migrate } from './migrate.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../../prisma/migrations', import.meta.url));

/**
 * DATABASE_URL if set, else the embedded server; migrated either way before the app serves. The
 * embedded server's package (and its platform binaries) is loaded only when it is used, so a
 * production install can leave those optional packages out (`npm ci --omit=optional`).
 */
export async function openDatabase(config: AppConfig, logger: Logger): Promise<RunningDatabase> {
  const database = config.databaseUrl
    ? { url: config.databaseUrl, stop: async () => undefined }
    : await (await import('./embedded-postgres.js')).startEmbeddedPostgres(config.dataDir, logger);
  try {
    await migrate(database.url, MIGRATIONS_DIR, logger);
  } catch (error) {
    await database.stop();
    throw new Error(`Cannot prepare the database at ${redactUrl(database.url)}: ${describe(error)}`, { cause: error });
  }
  return database;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

function describe(error: unknown): string {
  if (error instanceof AggregateError) return error.errors.map(describe).join('; ');
  const { code, message } = error as { code?: string; message?: string };
  return code && !message?.includes(code) ? `${message} (${code})` : String(message);
}
