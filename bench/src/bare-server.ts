/**
 * The baseline: a bare NestJS app on the express adapter with one route, no middleware (not even
 * the body parser), no session, no database and Nest's logger off.
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';

@Controller()
class HelloController {
  @Get('hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }
}

@Module({ controllers: [HelloController] })
class BareModule {}

const app = await NestFactory.create<NestExpressApplication>(BareModule, new ExpressAdapter(), { logger: false, bodyParser: false });
await app.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
