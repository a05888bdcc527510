import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { startTestApp, type TestApp } from '../../test/test-app.js';

/** [A-ANON] An anonymous client cannot make the server store unbounded state. */
describe('anonymous clients store nothing', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', ANONYMOUS_REQUESTS_PER_IP: '300' });
  });
  afterAll(() => t.close());

  it('adds no row for 3,000 anonymous token requests from one address, and refuses those past the limit', async () => {
    const server = t.app.getHttpServer();
    const rowsBefore = await t.prisma.session.count();
    const answers: number[] = [];
    for (let batch = 0; batch < 30; batch++) {
      const statuses = await Promise.all(
        Array.from({ length: 100 }, () => request(server).get('/api/auth/csrf').set('X-Forwarded-For', '198.51.100.1').then((res) => res.status)),
      );
      answers.push(...statuses);
    }
    expect(await t.prisma.session.count()).toBe(rowsBefore);
    expect(answers.filter((s) => s === 200)).toHaveLength(300);
    expect(answers.filter((s) => s === 429)).toHaveLength(2700);
    // Another address is not affected.
    expect((await request(server).get('/api/auth/csrf').set('X-Forwarded-For', '198.51.100.2')).status).toBe(200);
  });

  it('binds the pre-sign-in token to its cookie: another browser cannot use it', async () => {
    const victim = t.client({ 'X-Forwarded-For': '198.51.100.3' });
    const token = await victim.fetchCsrfToken();
    const forger = t.client({ 'X-Forwarded-For': '198.51.100.4' });
    await forger.fetchCsrfToken(); // its own nonce cookie, not the victim's
    const res = await forger.post('/api/auth/login', { email: 'someone@example.com', password: 'whatever it is' }, { csrf: token });
    expect(res.body.code).toBe('CSRF_INVALID');
  });
});
