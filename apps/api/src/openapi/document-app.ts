import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { AppModule } from '../app.module.js';
import { API_PREFIX } from '../app.setup.js';
import { loadConfig } from '../config/config.js';
import { buildOpenApiDocument, serializeDocument } from './openapi-document.js';

/** The committed document, which the web app's client is generated from. */
export const OPENAPI_FILE = fileURLToPath(new URL('../../openapi.json', import.meta.url));

/**
 * The document as the app serves it, built with no database and no mail server: the pool opens a connection only on
 * its first query, and without init() no lifecycle hook (pruner, listeners) runs.
 */
export async function buildDocumentWithoutDatabase(): Promise<string> {
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'openapi-document-only-never-signs-anything',
    SMTP_URL: 'smtp://unused.invalid:25',
    LOG_LEVEL: 'silent',
  });
  const module = AppModule.forRoot(config, 'postgresql://unused.invalid/none', pino({ level: 'silent' }));
  const app = await NestFactory.create(module, { logger: false, abortOnError: false });
  app.setGlobalPrefix(API_PREFIX);
  try {
    return serializeDocument(buildOpenApiDocument(app));
  } finally {
    await app.close();
  }
}
