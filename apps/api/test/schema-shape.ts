import type pg from 'pg';

/** The parts of a schema both Prisma's DMMF and information_schema can describe, in one comparable form. */
export interface SchemaShape {
  tables: Record<string, Record<string, string>>; // table -> column -> "type" or "type?" when nullable
  enums: Record<string, string[]>;
  indexes: string[]; // "table(col,col)" with "unique " in front when unique
}

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  isRequired: boolean;
  isList: boolean;
  nativeType?: readonly [string, readonly string[]] | null;
  relationName?: string | null;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: readonly DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: string;
  fields: readonly { name: string }[];
}
interface Datamodel {
  models: readonly DmmfModel[];
  enums: readonly { name: string; dbName?: string | null; values: readonly { name: string; dbName?: string | null }[] }[];
  indexes: readonly DmmfIndex[];
}

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'int4',
  BigInt: 'int8',
  Boolean: 'bool',
  DateTime: 'timestamp(3)',
  Json: 'jsonb',
  Float: 'float8',
  Bytes: 'bytea',
};

function nativeType(field: DmmfField, enumNames: Map<string, string>): string {
  if (field.kind === 'enum') return enumNames.get(field.type) ?? field.type;
  const native = field.nativeType;
  if (!native) return SCALAR_TYPES[field.type] ?? field.type;
  const [name, args] = native;
  const base = { Uuid: 'uuid', VarChar: 'varchar', Text: 'text', Timestamptz: 'timestamptz', Timestamp: 'timestamp', Json: 'json', JsonB: 'jsonb', Inet: 'inet', Integer: 'int4', BigInt: 'int8', SmallInt: 'int2' }[name] ?? name.toLowerCase();
  return args.length > 0 && name !== 'VarChar' ? `${base}(${args.join(',')})` : base;
}

export function describeSchema(datamodel: Datamodel): SchemaShape {
  const enumNames = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const tableOf = new Map(datamodel.models.map((m) => [m.name, m.dbName ?? m.name]));
  const tables: SchemaShape['tables'] = {};
  const columnOf = new Map<string, string>();
  for (const model of datamodel.models) {
    const columns: Record<string, string> = {};
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      const column = field.dbName ?? field.name;
      columnOf.set(`${model.name}.${field.name}`, column);
      // PostgreSQL names an array type by its element type with a leading underscore.
      columns[column] = (field.isList ? '_' : '') + nativeType(field, enumNames) + (field.isRequired ? '' : '?');
    }
    tables[tableOf.get(model.name)!] = columns;
  }
  const enums = Object.fromEntries(datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]));
  const indexes = datamodel.indexes
    .filter((index) => index.type !== 'id')
    .map((index) => {
      const columns = index.fields.map((f) => columnOf.get(`${index.model}.${f.name}`) ?? f.name);
      return `${index.type === 'unique' ? 'unique ' : ''}${tableOf.get(index.model)}(${columns.join(',')})`;
    })
    .sort();
  return { tables, enums, indexes };
}

export async function describeDatabase(client: pg.Client): Promise<SchemaShape> {
  const columns = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string; datetime_precision: number | null }>(`
    SELECT c.table_name, c.column_name, c.udt_name, c.is_nullable, c.datetime_precision
    FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> '_prisma_migrations'`);
  const tables: SchemaShape['tables'] = {};
  for (const col of columns.rows) {
    const precise = col.udt_name.startsWith('timestamp') ? `${col.udt_name}(${col.datetime_precision})` : col.udt_name;
    (tables[col.table_name] ??= {})[col.column_name] = precise + (col.is_nullable === 'YES' ? '?' : '');
  }
  const enumRows = await client.query<{ name: string; values: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`);
  const indexRows = await client.query<{ definition: string }>(`
    SELECT (CASE WHEN ix.indisunique THEN 'unique ' ELSE '' END) || t.relname || '(' ||
           string_agg(a.attname, ',' ORDER BY k.ord) || ')' AS definition
    FROM pg_index ix
    JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
    WHERE n.nspname = 'public' AND NOT ix.indisprimary AND t.relname <> '_prisma_migrations'
    GROUP BY ix.indexrelid, ix.indisunique, t.relname`);
  return {
    tables,
    enums: Object.fromEntries(enumRows.rows.map((row) => [row.name, row.values])),
    indexes: indexRows.rows.map((row) => row.definition).sort(),
  };
}
