import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { startTestApp, type TestApp } from '../../../test/test-app.js';

describe('one error shape for bad input [I-BAD]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const server = () => t.app.getHttpServer();

  it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
    const res = await request(server()).post('/api/auth/login').set('Content-Type', 'application/json').send('{"email": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' });
  });

  it('answers an oversized body with 413 in the same shape', async () => {
    const res = await request(server())
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(64 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  /** Past the CSRF check, so the body reaches the ValidationPipe. */
  async function postJson(path: string, json: string) {
    const device = t.client();
    const token = await device.fetchCsrfToken();
    return request(server()).post(path).set({ 'Content-Type': 'application/json', 'X-CSRF-Token': token, Cookie: device.cookieHeader() }).send(json);
  }

  it('answers a body nested 5,000 levels deep with 400, not a stack overflow', async () => {
    const res = await postJson('/api/auth/login', '['.repeat(5_000) + ']'.repeat(5_000));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', errors: [{ message: expect.stringMatching(/nests deeper than 32 levels/) }] });
  });

  it('refuses a __proto__ key by name instead of dropping it', async () => {
    const res = await postJson('/api/auth/register', '{"email":"a@example.com","password":"long enough password","name":"A","__proto__":{"role":"admin"}}');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'The request is not valid.',
      errors: [{ field: '__proto__', message: '__proto__ is not an allowed property name' }],
    });
  });

  it('answers an unknown API route with 404 NOT_FOUND', async () => {
    const res = await request(server()).get('/api/no-such-route');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'Not found.' });
  });

  it('answers a garbage cookie without a 500', async () => {
    const res = await request(server()).get('/api/health').set('Cookie', '__Host-sid=%E0%A4%A; __Host-remember=;;;=');
    expect(res.status).toBe(200);
  });

  it('sets the security headers [I-HEADERS]', async () => {
    const res = await request(server()).get('/api/health');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
