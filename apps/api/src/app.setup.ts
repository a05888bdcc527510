import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { answerErrorsInShape, noStore } from './common/express-middleware.js';
import { loadGeoLocator } from './common/geo-location.js';
import { NestPinoLogger, requestLogger } from './common/logger.js';
import { answerWithin, REQUEST_DEADLINE_MS } from './common/request-deadline.js';
import { securityHeaders } from './common/security-headers.js';
import { createValidationPipe } from './common/validation.pipe.js';
import { serveApiDocs } from './openapi/serve-api-docs.js';
import { PrismaService } from './prisma/prisma.service.js';
import { localhostIsSecureContext, sessionMiddleware } from './sessions/session.middleware.js';
import type { AppConfig } from './config/config.js';
import { serveWeb } from './web/serve-web.js';

export const BODY_LIMIT = '16kb';
export const API_PREFIX = 'api';

/** Builds the whole app (API and, when built, the web app) on one origin. main.ts and the tests share it. */
export async function createApp(config: AppConfig, databaseUrl: string, logger: Logger): Promise<NestExpressApplication> {
  await loadGeoLocator(config.geoipDatabase);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl, logger), {
    bodyParser: false,
    logger: new NestPinoLogger(logger),
    abortOnError: false,
  });
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(requestLogger(logger));
  app.use(securityHeaders(config.production));
  app.use('/api', noStore);
  app.use('/api', answerWithin(REQUEST_DEADLINE_MS, logger));
  app.use('/api', answerErrorsInShape(express.json({ limit: BODY_LIMIT }), logger));
  serveApiDocs(app, config.production);
  app.use('/api', localhostIsSecureContext(config));
  app.use('/api', answerErrorsInShape(sessionMiddleware(config, app.get(PrismaService).pool), logger));
  serveWeb(app.getHttpAdapter().getInstance());
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  app.useGlobalPipes(createValidationPipe());
  await app.init();
  return app;
}
