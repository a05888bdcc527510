/**
 * Grants or takes back the admin role, as a person on the server: the only way to make the first
 * admin [A-ADMIN]. Never by sign-up or an unverified email. The change is recorded as a security
 * event, and the user's live sessions get a new ID on their next request [U-PRIVILEGE].
 *
 *   npm run admin -- grant alice@example.com
 *   npm run admin -- revoke alice@example.com
 */
import pg from 'pg';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config/config.js';
import { runningEmbeddedUrl } from '../prisma/embedded-postgres.js';
import { openDatabase } from '../prisma/open-database.js';
import { normalizeEmail } from '../users/public-user.js';

const USAGE = 'Usage: npm run admin -- grant|revoke EMAIL';

async function main(): Promise<number> {
  const [command, emailInput, extra] = process.argv.slice(2);
  if ((command !== 'grant' && command !== 'revoke') || !emailInput || extra !== undefined) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const logger = pino({ level: 'warn' });
  // The embedded server of a running app is used as it is; otherwise this opens (and later stops) one.
  const running = config.databaseUrl ? undefined : runningEmbeddedUrl(config.dataDir);
  const database = running && (await reachable(running)) ? { url: running, stop: async () => undefined } : await openDatabase(config, logger);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const role = command === 'grant' ? 'admin' : 'user';
    const email = normalizeEmail(emailInput);
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string; role: string }>('SELECT id, role FROM users WHERE email = $1 FOR UPDATE', [email]);
    const user = rows[0];
    if (!user) {
      await client.query('ROLLBACK');
      console.error(`No account with the email ${email}. The person signs up first, then you grant the role.`);
      return 1;
    }
    await client.query('UPDATE users SET role = $2 WHERE id = $1', [user.id, role]);
    await client.query(`INSERT INTO security_events (user_id, type, details, admin_feed) VALUES ($1, 'role_changed', $2, true)`, [user.id, { role, by: 'cli' }]);
    await client.query('COMMIT');
    console.log(user.role === role ? `${email} already had the ${role} role.` : `${email} now has the ${role} role; their sessions move to new IDs on their next request.`);
    return 0;
  } finally {
    await client.end();
    await database.stop();
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `npm run admin failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
