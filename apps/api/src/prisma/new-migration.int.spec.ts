import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../test/test-database.js';
import { migrate } from './migrate.js';
import { MIGRATIONS_DIR } from './open-database.js';

const SCRIPT = fileURLToPath(new URL('../../../../prisma/new-migration.mjs', import.meta.url));

async function recordedMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>('SELECT migration_name AS name FROM _prisma_migrations ORDER BY 1')).rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

/** The file `npm run migration:new` writes, meeting the runner that applies it at start-up. */
describe('a migration created by npm run migration:new', () => {
  let db: TestDatabase;
  let prismaDir: string;
  let migrationsDir: string;

  beforeEach(async () => {
    db = await createTestDatabase({ migrated: false });
    prismaDir = mkdtempSync(join(tmpdir(), 'sessionkeep-new-migration-'));
    migrationsDir = join(prismaDir, 'migrations');
    cpSync(MIGRATIONS_DIR, migrationsDir, { recursive: true });
    copyFileSync(SCRIPT, join(prismaDir, 'new-migration.mjs'));
    execFileSync(process.execPath, [join(prismaDir, 'new-migration.mjs'), 'add_notes'], { stdio: 'ignore' });
  });
  afterEach(async () => {
    await db.drop();
    rmSync(prismaDir, { recursive: true, force: true });
  });

  const newFile = () => {
    const folder = readdirSync(migrationsDir).find((name) => name.endsWith('_add_notes'))!;
    return { folder, file: join(migrationsDir, folder, 'migration.sql') };
  };

  it('refuses to run while it is still the template, so an app started too early cannot record it', async () => {
    const { folder } = newFile();

    await expect(migrate(db.url, migrationsDir, silentLogger)).rejects.toThrow(`Migration ${folder} is still the template`);

    expect(await recordedMigrations(db.url)).not.toContain(folder);
  });

  it('runs once its SQL is written and the guard removed', async () => {
    const { folder, file } = newFile();
    const header = readFileSync(file, 'utf8').split('\n-- Stops this file')[0];
    writeFileSync(file, `${header}\nALTER TABLE "users" ADD COLUMN "notes" TEXT;\n`);

    expect(await migrate(db.url, migrationsDir, silentLogger)).toContain(folder);
    expect(await recordedMigrations(db.url)).toContain(folder);
  });
});
