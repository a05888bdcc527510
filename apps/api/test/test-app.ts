import { pino } from 'pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../src/app.setup.js';
import { type AppConfig, loadConfig } from '../src/config/config.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { TestClient } from './test-client.js';
import { createTestDatabase, silentLogger, type TestDatabase } from './test-database.js';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-the-config-check';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  prisma: PrismaService;
  databaseUrl: string;
  /** A new device: its own cookie jar. */
  client(headers?: Record<string, string>): TestClient;
  close(): Promise<void>;
}

/** The real Nest app on a real database. Pass `database` to boot a second instance on the same one. */
export async function startTestApp(env: Record<string, string> = {}, database?: TestDatabase): Promise<TestApp & { database: TestDatabase }> {
  const db = database ?? (await createTestDatabase());
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', ...env });
  const app = await createApp(config, db.url, process.env.TEST_LOG ? pino({ level: 'error' }, pino.destination({ dest: 2, sync: true })) : silentLogger);
  const server = app.getHttpServer();
  return {
    app,
    config,
    database: db,
    databaseUrl: db.url,
    prisma: app.get(PrismaService),
    client: (headers) => new TestClient(server, headers),
    close: async () => {
      await app.close();
      if (!database) await db.drop();
    },
  };
}
