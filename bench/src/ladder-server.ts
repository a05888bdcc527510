/**
 * The layer ladder (`--ladder`): one server, started once per step with LADDER_STEP=<k>, each step
 * adding one of the app's mandatory layers to the ceiling, cumulatively, taken from the app's own
 * modules and mounted in the order app.setup.ts mounts them (global ones on `/`, the app's `/api`
 * ones on the route's path):
 *
 *   0. the ceiling: a bare Nest route running the store's query for the hash in a header (as ceiling-server.ts);
 *   1. + the app's sessionMiddleware (express-session and the hashed store, wrapped in answerErrorsInShape as the
 *      app mounts it) after localhostIsSecureContext; the route reads req.sessionUser, loaded by the store's query;
 *   2. + securityHeaders (helmet), x-powered-by off, and noStore;
 *   3. + requestLogger at the app's LOG_LEVEL;
 *   4. + answerWithin(REQUEST_DEADLINE_MS) and express.json in answerErrorsInShape.
 *
 * What is left between step 4 and the app's GET /api/auth/me is Nest's side of the app: the global
 * prefix, guards, filters and pipes, and the controller's own work.
 */
import 'reflect-metadata';
import { Controller, Get, Module, NotFoundException, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import express, { type Request } from 'express';
import pg from 'pg';
import { loadConfig } from '@sessionkeep/api/config/config';
import { createLogger, requestLogger } from '@sessionkeep/api/common/logger';
import { answerErrorsInShape, noStore } from '@sessionkeep/api/common/express-middleware';
import { answerWithin, REQUEST_DEADLINE_MS } from '@sessionkeep/api/common/request-deadline';
import { securityHeaders } from '@sessionkeep/api/common/security-headers';
import { sessionQuery } from '@sessionkeep/api/sessions/hashed-session-store';
import { sessionHashOf } from '@sessionkeep/api/sessions/session-data';
import { localhostIsSecureContext, sessionMiddleware } from '@sessionkeep/api/sessions/session.middleware';
import { CEILING_SESSION_HEADER } from './ceiling-header.js';
import { LADDER_PATH } from './ladder-steps.js';

const step = Number(process.env.LADDER_STEP ?? 0);
const { DATABASE_URL, PORT } = process.env;
if (!DATABASE_URL) throw new Error('the ladder server needs DATABASE_URL');
// The same settings as the app's: SESSION_SECRET, idle timeout, LOG_LEVEL (the bench gives all its servers one environment).
const config = loadConfig();
const logger = createLogger(config.logLevel);
// Configured like the app's pool (PrismaService: max 10, 5 s connect timeout), as the ceiling's is.
const pool = new pg.Pool({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5000, max: 10 });
pool.on('error', () => undefined);

type Row = { id: string | null; email: string; name: string; role: string };

@Controller()
class LadderController {
  @Get(LADDER_PATH.slice(1))
  async ladder(@Req() req: Request) {
    if (step === 0) {
      const hash = req.headers[CEILING_SESSION_HEADER];
      const {
        rows: [row],
      } = await pool.query<Row>(sessionQuery(typeof hash === 'string' ? hash : ''));
      if (!row) throw new NotFoundException();
      return { user: { id: row.id, email: row.email, name: row.name, role: row.role }, session: { id: hash } };
    }
    // The store's get() ran the same query and left the user's row on the request.
    const user = req.sessionUser;
    if (!user || !req.session.userId) throw new NotFoundException();
    return { user: { id: user.id, email: user.email, name: user.name, role: user.role }, session: { id: sessionHashOf(req) } };
  }
}

@Module({ controllers: [LadderController] })
class LadderModule {}

const app = await NestFactory.create<NestExpressApplication>(LadderModule, new ExpressAdapter(), { logger: false, bodyParser: false });
// In app.setup.ts's order; each layer only from its step on.
if (step >= 2) app.disable('x-powered-by');
if (step >= 3) app.use(requestLogger(logger));
if (step >= 2) app.use(securityHeaders(config.production));
if (step >= 2) app.use(LADDER_PATH, noStore);
if (step >= 4) {
  // Imported only here: app.setup.js loads the whole app module graph.
  const { BODY_LIMIT } = await import('@sessionkeep/api/app.setup');
  app.use(LADDER_PATH, answerWithin(REQUEST_DEADLINE_MS, logger));
  app.use(LADDER_PATH, answerErrorsInShape(express.json({ limit: BODY_LIMIT }), logger));
}
if (step >= 1) {
  app.use(LADDER_PATH, localhostIsSecureContext(config));
  app.use(LADDER_PATH, answerErrorsInShape(sessionMiddleware(config, pool), logger));
}
await app.listen(Number(PORT), '127.0.0.1');
process.once('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
