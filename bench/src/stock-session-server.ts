/**
 * The anchor: stock express-session + connect-pg-simple as its README shows it (touch on, the
 * store's own pool and prune timer), on a NestJS app like the bare one. Its own table,
 * `stock_anchor.stock_session`, created by the store itself, so it never touches ours.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, Get, HttpCode, Module, Post, Req } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import connectPgSimple from 'connect-pg-simple';
import type { Request } from 'express';
import session from 'express-session';
import pg from 'pg';

declare module 'express-session' {
  interface SessionData {
    userId: string;
  }
}

@Controller()
class StockController {
  @Post('login')
  @HttpCode(200)
  login(@Req() req: Request): { userId: string } {
    req.session.userId = randomUUID();
    return { userId: req.session.userId };
  }

  @Get('me')
  me(@Req() req: Request): { userId: string | null } {
    return { userId: req.session.userId ?? null };
  }
}

@Module({ controllers: [StockController] })
class StockModule {}

const { DATABASE_URL, SESSION_SECRET, PORT } = process.env;
if (!DATABASE_URL || !SESSION_SECRET) throw new Error('the stock session server needs DATABASE_URL and SESSION_SECRET');

// createTableIfMissing replaces only the table name in the store's table.sql, not the names of
// its primary key (session_pkey) and index (IDX_session_expire), which our own `session` table
// already uses: in the same schema the creation fails. Hence a schema of its own.
const SCHEMA = 'stock_anchor';
const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();
await admin.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
await admin.end();

const PgStore = connectPgSimple(session);
const store = new PgStore({ conString: DATABASE_URL, schemaName: SCHEMA, tableName: 'stock_session', createTableIfMissing: true });

const app = await NestFactory.create<NestExpressApplication>(StockModule, new ExpressAdapter(), { logger: false, bodyParser: false });
app.use(
  session({
    store,
    secret: SESSION_SECRET,
    // connect-pg-simple's README example: resave off, so an unchanged session is touched (an
    // UPDATE of `expire`) on every request, the library default. saveUninitialized is spelled
    // out only to silence express-session's deprecation warning; it does not change this path.
    resave: false,
    saveUninitialized: false,
    // `secure: false` only because this anchor is a baseline served over plain http on loopback,
    // never our app: Sessionkeep's cookies are always Secure.
    cookie: { maxAge: 30 * 24 * 60 * 60 * 1000, secure: false },
  }),
);
await app.listen(Number(PORT), '127.0.0.1');
process.once('SIGTERM', () => void app.close().then(() => store.close()).then(() => process.exit(0)));
