import { execFileSync } from 'node:child_process';
import argon2 from 'argon2';
import pg from 'pg';
import type { TestUser } from '../fixtures';

const EMBEDDED_POSTGRES_MODULE = new URL('../../apps/api/dist/prisma/embedded-postgres.js', import.meta.url).href;

/**
 * The URL of the embedded PostgreSQL that the app serving from `dataDir` started, found by the
 * API's own runningEmbeddedUrl(). In a child process: importing embedded-postgres installs
 * process-wide signal and exit hooks that have no place in a Playwright worker.
 */
function runningDatabaseUrl(dataDir: string): string {
  const script = `const { runningEmbeddedUrl } = await import(${JSON.stringify(EMBEDDED_POSTGRES_MODULE)});
const url = runningEmbeddedUrl(process.argv[1]);
if (!url) process.exit(3);
process.stdout.write(url);`;
  try {
    return execFileSync(process.execPath, ['--input-type=module', '--eval', script, dataDir], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(`Found no running embedded PostgreSQL for the app in ${dataDir}. Is its server up, and built?`, { cause: error });
  }
}

/**
 * Direct access to one test server's database, for arranging what a test needs without going
 * through the UI or the HTTP API. Test-only: it exists in the Playwright worker, reaches the
 * database from outside the app, and the app has no route that does any of this.
 */
export class AppDatabase {
  private constructor(private readonly pool: pg.Pool) {}

  static open(dataDir: string): AppDatabase {
    return new AppDatabase(new pg.Pool({ connectionString: runningDatabaseUrl(dataDir), max: 2 }));
  }

  async query<Row extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query<Row>(sql, params)).rows;
  }

  /**
   * An account as sign-up leaves it, written straight into `users`: no HTTP round trips, and no
   * per-IP sign-up limit [A-ANON] to run into when a run creates dozens of accounts from one address.
   * The hash is argon2id at OWASP's floor, as the API makes them.
   */
  async createUser(user: TestUser, { role = 'user' }: { role?: 'user' | 'admin' } = {}): Promise<void> {
    const passwordHash = await argon2.hash(user.password, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    await this.pool.query('INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4)', [
      user.email.trim().toLowerCase(),
      user.name,
      passwordHash,
      role,
    ]);
  }

  /**
   * Ends the step-up window of every session of the account, as if its password was last confirmed
   * a day ago, so a test reaches the re-auth dialog without waiting the window out.
   */
  async lapseStepUp(email: string): Promise<void> {
    await this.pool.query(
      `UPDATE session
          SET sess = jsonb_set(sess::jsonb, '{reauthenticatedAt}', to_jsonb((extract(epoch FROM now() - interval '1 day') * 1000)::bigint))::json
        WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      [email.trim().toLowerCase()],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
