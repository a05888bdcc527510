import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../src/app.setup.js';
import { type AppConfig, loadConfig } from '../src/config/config.js';
import { MailService } from '../src/mail/mail.service.js';
import { type RunningMailServer, startEmbeddedMailServer } from '../src/mail/embedded-mail-server.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { TestClient } from './test-client.js';
import { createTestDatabase, silentLogger, type TestDatabase } from './test-database.js';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-the-config-check';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  prisma: PrismaService;
  mail: MailService;
  databaseUrl: string;
  /** This app's own embedded mail server's web inbox (unless SMTP_URL was given). */
  inboxUrl: string | undefined;
  /** A new device: its own cookie jar. */
  client(headers?: Record<string, string>): TestClient;
  close(): Promise<void>;
}

/**
 * The real Nest app on a real database and, unless `env` has SMTP_URL, its own embedded mail
 * server. Pass `database` to boot a second instance on the same database.
 */
export async function startTestApp(env: Record<string, string> = {}, database?: TestDatabase): Promise<TestApp & { database: TestDatabase }> {
  const db = database ?? (await createTestDatabase());
  const mailDirectory = env.SMTP_URL ? undefined : mkdtempSync(join(tmpdir(), 'sessionkeep-mail-'));
  const mailServer: RunningMailServer | undefined = mailDirectory ? await startEmbeddedMailServer(silentLogger, { mailDirectory }) : undefined;
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', SMTP_URL: mailServer?.smtpUrl, ...env });
  const app = await createApp(config, db.url, process.env.TEST_LOG ? pino({ level: 'error' }, pino.destination({ dest: 2, sync: true })) : silentLogger);
  const server = app.getHttpServer();
  return {
    app,
    config,
    database: db,
    databaseUrl: db.url,
    prisma: app.get(PrismaService),
    mail: app.get(MailService),
    inboxUrl: mailServer?.inboxUrl,
    client: (headers) => new TestClient(server, headers),
    close: async () => {
      await app.close();
      await mailServer?.stop();
      if (mailDirectory) rmSync(mailDirectory, { recursive: true, force: true });
      if (!database) await db.drop();
    },
  };
}
