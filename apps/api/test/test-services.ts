import { Test, type TestingModule } from '@nestjs/testing';
import { AppModule } from '../src/app.module.js';
import { type ClientContext, fingerprintOf } from '../src/common/client-context.js';
import { type AppConfig, loadConfig } from '../src/config/config.js';
import { PrismaService } from '../src/prisma/prisma.service.js';
import { startTestMail, TEST_SECRET } from './test-app.js';
import { createTestDatabase, silentLogger, type TestDatabase } from './test-database.js';

export interface TestServices {
  module: TestingModule;
  config: AppConfig;
  prisma: PrismaService;
  close(): Promise<void>;
}

/**
 * The app's providers on a real database with no HTTP server at all, as a job or an emailed-link
 * handler would use them: `s.module.get(SessionsService)`.
 */
export async function startTestServices(env: Record<string, string> = {}): Promise<TestServices & { database: TestDatabase }> {
  const database = await createTestDatabase();
  const mail = await startTestMail(env);
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', SMTP_URL: mail.smtpUrl, ...env });
  const module = await Test.createTestingModule({ imports: [AppModule.forRoot(config, database.url, silentLogger)] }).compile();
  await module.init();
  return {
    module,
    config,
    database,
    prisma: module.get(PrismaService),
    close: async () => {
      await module.close();
      await mail.stop();
      await database.drop();
    },
  };
}

/** A client as the edge would have read it from a request. */
export function clientAt(ip: string, userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36'): ClientContext {
  return { ip, userAgent, location: null, fingerprint: fingerprintOf(ip, userAgent) };
}
