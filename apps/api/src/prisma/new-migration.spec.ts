import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../../../prisma/new-migration.mjs', import.meta.url));

/**
 * `npm run migration:new` as a person runs it, on a copy of the script beside a scratch
 * migrations folder, so the repository's own migrations are never touched.
 */
describe('npm run migration:new', () => {
  let prismaDir: string;
  let migrationsDir: string;

  beforeEach(() => {
    prismaDir = mkdtempSync(join(tmpdir(), 'sessionkeep-new-migration-'));
    migrationsDir = join(prismaDir, 'migrations');
    mkdirSync(join(migrationsDir, '20261122000000_users'), { recursive: true });
    copyFileSync(SCRIPT, join(prismaDir, 'new-migration.mjs'));
  });
  afterEach(() => rmSync(prismaDir, { recursive: true, force: true }));

  const run = (...args: string[]) => spawnSync(process.execPath, [join(prismaDir, 'new-migration.mjs'), ...args], { encoding: 'utf8' });
  const folders = () => readdirSync(migrationsDir).sort();

  it('creates <UTC timestamp>_<name>/migration.sql whose header explains how to write it', () => {
    const before = new Date();
    const result = run('add_notes');

    expect(result.status).toBe(0);
    const created = folders().find((folder) => folder.endsWith('_add_notes'));
    expect(created).toMatch(/^\d{14}_add_notes$/);
    const stamp = created!.slice(0, 14);
    const asDate = new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12)}Z`);
    expect(asDate.getTime()).toBeGreaterThanOrEqual(Math.floor(before.getTime() / 1000) * 1000);
    expect(asDate.getTime()).toBeLessThanOrEqual(Date.now());
    expect(result.stdout).toContain(join(migrationsDir, created!, 'migration.sql'));

    const sql = readFileSync(join(migrationsDir, created!, 'migration.sql'), 'utf8');
    expect(sql).toContain('prisma/schema.prisma');
    expect(sql).toContain('src/prisma/schema-drift');
    expect(sql).toContain('prisma migrate diff');
    // Until someone writes it, the file refuses to run, so it is never recorded half-written.
    expect(sql).toMatch(/RAISE EXCEPTION 'Migration \d{14}_add_notes is still the template/);
  });

  it.each([
    ['AddNotes', /not a snake_case name/],
    ['add-notes', /not a snake_case name/],
    ['add__notes', /not a snake_case name/],
    ['_add_notes', /not a snake_case name/],
    ['add_notes_', /not a snake_case name/],
    ['1_add_notes', /not a snake_case name/],
    ['../escape', /not a snake_case name/],
    ['add_'.repeat(30) + 'notes', /longer than 80 characters/],
  ])('refuses the name %j with a clear message and creates nothing', (name, message) => {
    const result = run(name);

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: npm run migration:new -- <name>');
    expect(folders()).toEqual(['20261122000000_users']);
  });

  it('asks for a name when given none, and for one name when given several', () => {
    expect(run()).toMatchObject({ status: 1, stderr: expect.stringContaining('Name the migration.') });
    expect(run('add_notes', 'add_tags')).toMatchObject({ status: 1, stderr: expect.stringContaining('Usage:') });
    expect(folders()).toEqual(['20261122000000_users']);
  });

  it('refuses a name that an earlier migration already has', () => {
    const result = run('users');

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('A migration named users already exists (20261122000000_users)');
  });

  it('refuses to sort before a migration dated later than now, since the runner applies them in name order', () => {
    mkdirSync(join(migrationsDir, '29991231000000_from_the_future'));

    const result = run('add_notes');

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/would sort before the newest migration, 29991231000000_from_the_future/);
    expect(folders()).toEqual(['20261122000000_users', '29991231000000_from_the_future']);
  });
});
