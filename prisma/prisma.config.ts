import { defineConfig } from 'prisma/config';

// The CLI only needs a URL for commands that talk to a database (`migrate status`,
// `migrate deploy`); `generate` and `validate` work without one.
export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/sessionkeep' },
});
