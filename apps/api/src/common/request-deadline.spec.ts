import express from 'express';
import session from 'express-session';
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

  it("lets a real handler's late answer do nothing: no error, one 503 body, no session saved for it", async () => {
    const store = new session.MemoryStore();
    const errors: unknown[] = [];
    let lateAnswerDone!: () => void;
    const lateAnswer = new Promise<void>((resolve) => (lateAnswerDone = resolve));
    // As Nest answers when the handler resolves: no look at headersSent first.
    const late: express.RequestHandler = (req, res, next) =>
      void setTimeout(() => {
        try {
          req.session.csrfToken = 'from the late work';
          res.status(200).json({ late: true });
        } catch (err) {
          next(err);
        } finally {
          lateAnswerDone();
        }
      }, 100);
    const app = appWith(late, session({ secret: 'unit test', store, resave: false, saveUninitialized: false }));
    app.use(((err, _req, _res, next) => {
      errors.push(err);
      next();
    }) as express.ErrorRequestHandler);
    const res = await request(app).get('/');
    await lateAnswer;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(errors).toEqual([]);
    expect(res.status).toBe(503);
    expect(res.text).toBe(JSON.stringify({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'The service is temporarily unavailable.' }));
    const saved = await new Promise((resolve) => store.all((_err, all) => resolve(Object.values(all ?? {}))));
    // The client was told 503: the late work's session change is not confirmed by a save either.
    expect(saved).toEqual([]);
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
