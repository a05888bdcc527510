import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { answerWithin } from './request-deadline.js';

function appWith(route: express.RequestHandler, ...later: express.RequestHandler[]) {
  const app = express();
  app.use(answerWithin(50, pino({ level: 'silent' })));
  app.use(...later, (_req, _res, next) => next());
  app.get('/', route);
  return app;
}

/** What express-session does when the session needs saving: res.end waits for the store, here forever. */
const endWaitsForAHungStore: express.RequestHandler = (_req, res, next) => {
  res.end = (() => res) as typeof res.end;
  next();
};

describe('answerWithin [I-OUTAGE]', () => {
  it('answers 503 in the error shape when the handler never does', async () => {
    const res = await request(appWith(() => undefined)).get('/');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable.' });
  });

  it('answers even when a later middleware holds res.end back (a session save that hangs)', async () => {
    const res = await request(appWith((_req, res) => void setTimeout(() => res.headersSent || res.json({}), 100), endWaitsForAHungStore)).get('/');
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('ignores a late answer from the handler once the deadline has answered', async () => {
    const late = appWith((_req, res) => void setTimeout(() => res.headersSent || res.json({ late: true }), 100));
    expect((await request(late).get('/')).status).toBe(503);
  });

  it('leaves a prompt answer and a stream that has started alone', async () => {
    expect((await request(appWith((_req, res) => void res.json({ ok: true }))).get('/')).body).toEqual({ ok: true });
    const stream = appWith((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: 1\n\n');
      setTimeout(() => res.end('data: 2\n\n'), 120);
    });
    const res = await request(stream).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toBe('data: 1\n\ndata: 2\n\n');
  });
});
