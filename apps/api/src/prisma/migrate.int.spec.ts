import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../test/test-database.js';
import { migrate } from './migrate.js';
import { MIGRATIONS_DIR } from './open-database.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migration runner', () => {
  let db: TestDatabase;
  afterEach(() => db.drop());

  it('applies every migration once and records it as Prisma does', async () => {
    db = await createTestDatabase({ migrated: false });
    const applied = await migrate(db.url, MIGRATIONS_DIR, silentLogger);
    expect(applied.length).toBeGreaterThan(0);
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      db.url,
      'SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((row) => row.migration_name)).toEqual(applied);
    for (const row of rows) {
      const sql = readFileSync(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
    }
    expect(await migrate(db.url, MIGRATIONS_DIR, silentLogger)).toEqual([]);
  });

  it('lets parallel instances start at once without applying anything twice', async () => {
    db = await createTestDatabase({ migrated: false });
    const results = await Promise.all([1, 2, 3].map(() => migrate(db.url, MIGRATIONS_DIR, silentLogger)));
    expect(results.flat().sort()).toEqual((await query<{ n: string }>(db.url, 'SELECT migration_name AS n FROM _prisma_migrations')).map((r) => r.n).sort());
  });

  it('refuses a migration that was edited after it was applied', async () => {
    db = await createTestDatabase({ migrated: false });
    const dir = mkdtempSync(join(tmpdir(), 'sessionkeep-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    await migrate(db.url, dir, silentLogger);
    const [first] = (await query<{ n: string }>(db.url, 'SELECT migration_name AS n FROM _prisma_migrations ORDER BY n')).map((r) => r.n);
    writeFileSync(join(dir, first!, 'migration.sql'), '-- edited\n', { flag: 'a' });
    await expect(migrate(db.url, dir, silentLogger)).rejects.toThrow(/was edited after it was applied/);
  });

  it('rolls back a failing migration and records nothing for it', async () => {
    db = await createTestDatabase({ migrated: false });
    const dir = mkdtempSync(join(tmpdir(), 'sessionkeep-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(join(dir, '99999999999999_broken'));
    writeFileSync(join(dir, '99999999999999_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n');
    await expect(migrate(db.url, dir, silentLogger)).rejects.toThrow(/99999999999999_broken failed/);
    expect(await query(db.url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'")).toHaveLength(0);
    expect(await query(db.url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '99999999999999_broken'")).toHaveLength(0);
  });
});
