import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.setup.js';
import { loadConfig } from '../config/config.js';
import { startTestApp, TEST_SECRET } from '../../test/test-app.js';
import { silentLogger } from '../../test/test-database.js';

describe('GET /api/health', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(() => Promise.all(closers.map((close) => close())));

  it('answers 200 when the database is up', async () => {
    const t = await startTestApp();
    closers.push(t.close);
    const res = await request(t.app.getHttpServer()).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers 503 SERVICE_UNAVAILABLE when the database is down', async () => {
    const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', SMTP_URL: 'smtp://127.0.0.1:1' });
    const app = await createApp(config, 'postgresql://postgres@127.0.0.1:1/nowhere', silentLogger);
    closers.push(() => app.close());
    const res = await request(app.getHttpServer()).get('/api/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
  });
});
