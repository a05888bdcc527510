import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../test/test-database.js';
import { migrate } from './migrate.js';
import { MIGRATIONS_DIR } from './open-database.js';

async function recordedMigrations(url: string): Promise<{ name: string; times: number; unfinished: number }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; times: number; unfinished: number }>(
      `SELECT migration_name AS name, count(*)::int AS times, count(*) FILTER (WHERE finished_at IS NULL)::int AS unfinished
         FROM _prisma_migrations GROUP BY migration_name ORDER BY migration_name`,
    );
    return rows;
  } finally {
    await client.end();
  }
}

// Deploying several instances at once (a rolling deploy, a scaled-out start) runs the start-up
// migration in each of them at the same moment, against a database that may still be empty.
describe('three instances migrating an empty database at once', () => {
  let db: TestDatabase;
  afterEach(() => db.drop());

  it('all succeed, one of them applies every migration, and each migration is recorded once', async () => {
    db = await createTestDatabase({ migrated: false });

    const outcomes = await Promise.allSettled([1, 2, 3].map(() => migrate(db.url, MIGRATIONS_DIR, silentLogger)));

    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failures, 'every instance starts').toEqual([]);
    const applied = outcomes.map((outcome) => (outcome as PromiseFulfilledResult<string[]>).value);
    const recorded = await recordedMigrations(db.url);
    const names = recorded.map((row) => row.name);
    expect(names.length).toBeGreaterThan(0);
    expect(recorded.every((row) => row.times === 1 && row.unfinished === 0), JSON.stringify(recorded)).toBe(true);
    // The advisory lock serialises them: whoever takes it first does all the work, the others find it done.
    expect(applied.map((list) => list.length).sort()).toEqual([0, 0, names.length]);
    expect(applied.find((list) => list.length > 0)).toEqual(names);
  });
});
