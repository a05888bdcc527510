import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import prismaInternals from '@prisma/internals';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.js';
import { MIGRATIONS_DIR } from './open-database.js';
import { describeDatabase, describeSchema, type SchemaShape } from '../../test/schema-shape.js';

/**
 * Migrations are written by hand (the Prisma CLI cannot run its schema engine offline), so this
 * test holds schema.prisma and the migrated database to each other: tables, columns, types,
 * nullability, enums and indexes.
 */
describe('schema.prisma and the migrations agree', () => {
  let db: TestDatabase;
  let fromSchema: SchemaShape;
  let fromDatabase: SchemaShape;

  beforeAll(async () => {
    db = await createTestDatabase();
    const { datamodel } = await prismaInternals.getDMMF({ datamodel: readFileSync(join(MIGRATIONS_DIR, '..', 'schema.prisma'), 'utf8') });
    fromSchema = describeSchema(datamodel);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    fromDatabase = await describeDatabase(client);
    await client.end();
  });
  afterAll(() => db.drop());

  it('has the same tables', () => {
    expect(Object.keys(fromDatabase.tables).sort()).toEqual(Object.keys(fromSchema.tables).sort());
  });

  it('has the same columns, types and nullability', () => {
    expect(fromDatabase.tables).toEqual(fromSchema.tables);
  });

  it('has the same enums', () => {
    expect(fromDatabase.enums).toEqual(fromSchema.enums);
  });

  it('has the same indexes', () => {
    expect(fromDatabase.indexes).toEqual(fromSchema.indexes);
  });
});
