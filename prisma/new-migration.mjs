// @ts-check
/**
 * `npm run migration:new -- <snake_case_name>` creates
 * prisma/migrations/<UTC YYYYMMDDHHMMSS>_<name>/migration.sql from a template that explains how to
 * write it. Migrations are hand-written here because Prisma's schema engine cannot be downloaded
 * offline (see the README); this keeps their names in Prisma's layout, so `prisma migrate` on a
 * machine with the engine sees the same history.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIGRATIONS_DIR = fileURLToPath(new URL('migrations', import.meta.url));
// _prisma_migrations.migration_name is VARCHAR(255); a name that fits a line is plenty.
const MAX_NAME_LENGTH = 80;
const USAGE = 'Usage: npm run migration:new -- <name>   (snake_case, e.g. add_notes)';

/**
 * Why `name` cannot name a migration, or undefined when it can.
 * @param {string} name
 */
function migrationNameProblem(name) {
  if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name)) {
    return `"${name}" is not a snake_case name: use lower-case letters, digits and single underscores, starting with a letter (e.g. add_notes).`;
  }
  if (name.length > MAX_NAME_LENGTH) return `"${name}" is longer than ${MAX_NAME_LENGTH} characters; say what changes in fewer words.`;
  return undefined;
}

/**
 * YYYYMMDDHHMMSS in UTC, as `prisma migrate dev` names its folders.
 * @param {Date} date
 */
function migrationTimestamp(date) {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

/** @param {string} folder */
function template(folder) {
  return `-- ${folder}: replace these instructions with a line or two on what this migration changes and why.
--
-- How to write it (Prisma's schema engine cannot run offline, so migrations are hand-written SQL):
--   1. Change prisma/schema.prisma first; the Prisma client is generated from it.
--   2. Write below the PostgreSQL that takes the database of the previous migration to that schema,
--      in the style of the earlier migrations and with Prisma's names for constraints and indexes
--      ("<table>_pkey", "<table>_<column>_fkey", "<table>_<columns>_idx").
--   3. Run the schema-drift test, which fails until this file and schema.prisma agree:
--        cd apps/api && npx vitest run --project integration src/prisma/schema-drift
--   Where Prisma's engine can be downloaded, it writes the SQL for you, from a database the app
--   has migrated up to the previous migration:
--        DATABASE_URL=<that database> npx prisma migrate diff --config prisma/prisma.config.ts \\
--          --from-config-datasource --to-schema prisma/schema.prisma --script
--
-- The API applies this file at start-up in one transaction (so no CREATE INDEX CONCURRENTLY) and
-- records its SHA-256: once it has run anywhere, never edit it again; write a new migration.

-- Stops this file from being applied (and so recorded) before it is written. Delete it.
DO $$ BEGIN RAISE EXCEPTION 'Migration ${folder} is still the template: write its SQL first.'; END $$;
`;
}

/**
 * Creates the migration folder and its migration.sql; returns the file's path. Throws an Error
 * with a message for the person at the terminal when the name or the clock will not do.
 * @param {string} name
 */
function createMigration(name, now = new Date()) {
  const problem = migrationNameProblem(name);
  if (problem) throw new Error(problem);
  const existing = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const sameName = existing.find((folder) => folder.slice(15) === name);
  if (sameName) throw new Error(`A migration named ${name} already exists (${sameName}); pick a name for what this one changes.`);

  const folder = `${migrationTimestamp(now)}_${name}`;
  const newest = existing.at(-1);
  // The runner applies folders in name order, so a new one must sort after every existing one.
  if (newest && folder <= newest) {
    throw new Error(`${folder} would sort before the newest migration, ${newest}. Check the clock, or wait until after that timestamp.`);
  }
  const dir = join(MIGRATIONS_DIR, folder);
  if (existsSync(dir)) throw new Error(`${dir} already exists.`);
  mkdirSync(dir);
  const file = join(dir, 'migration.sql');
  writeFileSync(file, template(folder), { flag: 'wx' });
  return file;
}

/** @param {string[]} args */
function main(args) {
  if (args.length !== 1 || args[0] === '--help' || args[0] === '-h') {
    console.error(args.length === 0 ? `Name the migration.\n${USAGE}` : USAGE);
    return 1;
  }
  try {
    const file = createMigration(/** @type {string} */ (args[0]));
    console.log(`Created ${file}\nChange prisma/schema.prisma, then write the SQL as its header explains.`);
    return 0;
  } catch (error) {
    console.error(`${/** @type {Error} */ (error).message}\n${USAGE}`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
