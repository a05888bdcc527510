import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

describe('failed sign-ins [A-BRUTE]', () => {
  let t: TestApp;
  let user: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '6' });
    user = await createUser(t, { email: 'target@example.com' });
  });
  afterAll(() => t.close());

  it('gives an unknown email and a wrong password the same answer', async () => {
    const existing = await createUser(t, { email: 'enum-check@example.com' });
    const unknown = await t.client().post('/api/auth/login', { email: 'nobody@example.com', password: 'wrong password!' });
    const wrong = await t.client().post('/api/auth/login', { email: existing.email, password: 'wrong password!' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body).toEqual({ statusCode: 401, code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect.' });
  });

  it('limits failures per account with 429, even with the right password, for existing and unknown emails alike', async () => {
    for (let i = 0; i < 3; i++) expect((await t.client().post('/api/auth/login', { email: user.email, password: 'nope nope nope' })).status).toBe(401);
    const blocked = await t.client().post('/api/auth/login', { email: user.email, password: user.password });
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_REQUESTS' });
    for (let i = 0; i < 3; i++) await t.client().post('/api/auth/login', { email: 'ghost@example.com', password: 'nope nope nope' });
    expect((await t.client().post('/api/auth/login', { email: 'ghost@example.com', password: 'x' })).status).toBe(429);
  });

  it('counts per account whatever case the email is typed in', async () => {
    const other = await createUser(t, { email: 'mixed@example.com' });
    for (const email of ['MIXED@example.com', 'Mixed@Example.com', 'mixed@EXAMPLE.com']) await t.client().post('/api/auth/login', { email, password: 'bad' });
    expect((await t.client().post('/api/auth/login', { email: other.email, password: other.password })).status).toBe(429);
  });
});

describe('failed sign-ins per IP, behind a trusted proxy [A-BRUTE]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '100', LOGIN_MAX_FAILURES_PER_IP: '4', TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());

  const fromIp = (ip: string) => t.client({ 'X-Forwarded-For': ip });

  it('limits one IP spraying many accounts, and a success does not reset the IP count', async () => {
    const victim = await createUser(t);
    for (let i = 0; i < 3; i++) expect((await fromIp('203.0.113.7').post('/api/auth/login', { email: `spray${i}@example.com`, password: 'x' })).status).toBe(401);
    await signIn(fromIp('203.0.113.7'), victim);
    expect((await fromIp('203.0.113.7').post('/api/auth/login', { email: 'spray9@example.com', password: 'x' })).status).toBe(401);
    expect((await fromIp('203.0.113.7').post('/api/auth/login', { email: victim.email, password: victim.password })).status).toBe(429);
    // Another address is unaffected.
    await signIn(fromIp('198.51.100.1'), victim);
  });
});

describe('client IP without TRUST_PROXY', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '100', LOGIN_MAX_FAILURES_PER_IP: '2' });
  });
  afterAll(() => t.close());

  it('ignores X-Forwarded-For, so a client cannot dodge the IP limit by inventing addresses', async () => {
    for (const ip of ['1.1.1.1', '2.2.2.2']) await t.client({ 'X-Forwarded-For': ip }).post('/api/auth/login', { email: 'a@example.com', password: 'x' });
    const res = await t.client({ 'X-Forwarded-For': '3.3.3.3' }).post('/api/auth/login', { email: 'b@example.com', password: 'x' });
    expect(res.status).toBe(429);
  });

  it('records the socket address, not a spoofed one', async () => {
    const user = await createUser(t);
    await signIn(t.client({ 'X-Forwarded-For': '6.6.6.6' }), user).catch(() => undefined);
    const event = await t.prisma.securityEvent.findFirst({ where: { userId: user.id } });
    expect(event?.ip ?? '').not.toContain('6.6.6.6');
  });
});
