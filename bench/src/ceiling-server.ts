/**
 * The ceiling: a bare NestJS app like bare-server.ts (one route, no middleware) whose route runs
 * the app's own per-request query, the session joined to its user's row (SESSION_WITH_USER from the
 * app's store, the same statement the store sends), on a pg.Pool configured like the app's
 * (PrismaService: max 10, 5 s connect timeout). The session's stored hash comes in a header, so
 * no cookie parsing or signature check is counted here: what is left is Nest, one query and JSON.
 * No middleware in the app can make `/api/auth/me` faster than this.
 */
import 'reflect-metadata';
import { Controller, Get, Headers, Module, NotFoundException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import pg from 'pg';
import { sessionQuery } from '@sessionkeep/api/sessions/hashed-session-store';
import { CEILING_SESSION_HEADER } from './ceiling-header.js';

const { DATABASE_URL, PORT } = process.env;
if (!DATABASE_URL) throw new Error('the ceiling server needs DATABASE_URL');
const pool = new pg.Pool({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5000, max: 10 });
pool.on('error', () => undefined);

type Row = { sess: Record<string, unknown>; id: string | null; email: string; name: string; role: string };

@Controller()
class CeilingController {
  @Get('ceiling')
  async ceiling(@Headers(CEILING_SESSION_HEADER) hash: string | undefined) {
    const {
      rows: [row],
    } = await pool.query<Row>(sessionQuery(hash ?? ''));
    if (!row) throw new NotFoundException();
    return { user: { id: row.id, email: row.email, name: row.name, role: row.role }, session: { id: hash } };
  }
}

@Module({ controllers: [CeilingController] })
class CeilingModule {}

const app = await NestFactory.create<NestExpressApplication>(CeilingModule, new ExpressAdapter(), { logger: false, bodyParser: false });
await app.listen(Number(PORT), '127.0.0.1');
process.once('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
