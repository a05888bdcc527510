import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Logger, pino } from 'pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../src/app.setup.js';
import { type AppConfig, loadConfig } from '../src/config/config.js';
import { MailService } from '../src/mail/mail.service.js';
import { startEmbeddedMailServer } from '../src/mail/embedded-mail-server.js';
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
 * server. Pass `database` to boot a second instance on the same database, `logger` to read what it logs.
 */
export async function startTestApp(env: Record<string, string> = {}, database?: TestDatabase, logger?: Logger): Promise<TestApp & { database: TestDatabase }> {
  const db = database ?? (await createTestDatabase());
  const mail = await startTestMail(env);
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', MFA_ENCRYPTION_KEY: TEST_SECRET, SMTP_URL: mail.smtpUrl, ...env });
  const app = await createApp(config, db.url, logger ?? (process.env.TEST_LOG ? pino({ level: 'error' }, pino.destination({ dest: 2, sync: true })) : silentLogger));
  const server = app.getHttpServer();
  return {
    app,
    config,
    database: db,
    databaseUrl: db.url,
    prisma: app.get(PrismaService),
    mail: app.get(MailService),
    inboxUrl: mail.inboxUrl,
    client: (headers) => new TestClient(server, headers),
    close: async () => {
      await app.close();
      await mail.stop();
      if (!database) await db.drop();
    },
  };
}

/** Unless `env` names an SMTP server, a fresh embedded mail server of the test's own. */
export async function startTestMail(env: Record<string, string>): Promise<{ smtpUrl?: string; inboxUrl?: string; stop(): Promise<void> }> {
  if (env.SMTP_URL) return { stop: async () => {} };
  const mailDirectory = mkdtempSync(join(tmpdir(), 'sessionkeep-mail-'));
  const server = await startEmbeddedMailServer(silentLogger, { mailDirectory });
  return {
    smtpUrl: server.smtpUrl,
    inboxUrl: server.inboxUrl,
    stop: async () => {
      await server.stop();
      rmSync(mailDirectory, { recursive: true, force: true });
    },
  };
}
