import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, eventStored, signIn } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

describe('GET /api/account/events [A-EVENTS]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('shows only the caller’s events, newest first, with browser and OS', async () => {
    const user = await createUser(t);
    const stranger = await createUser(t);
    await t.client().post('/api/auth/login', { email: user.email, password: 'wrong password!' });
    await eventStored(t, user.id, 'sign_in_failed');
    await signIn(t.client(), stranger);
    const device = await signIn(t.client({ 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' }), user);
    const res = await device.get('/api/account/events');
    expect(res.status).toBe(200);
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['sign_in', 'sign_in_failed']);
    expect(res.body.events[0]).toMatchObject({ type: 'sign_in', at: expect.any(String), ip: expect.any(String), browser: 'Firefox', os: 'Linux' });
    expect(res.body.nextCursor).toBeNull();
  });

  it('pages with a cursor without gaps or repeats', async () => {
    const user = await createUser(t);
    await t.prisma.securityEvent.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({ userId: user.id, type: 'sign_in' as const, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) })),
    });
    const device = await signIn(t.client(), user);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await device.get(`/api/account/events?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...res.body.events.map((e: { at: string }) => e.at));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(26);
    expect(new Set(seen).size).toBe(26);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  it('refuses a malformed cursor or limit with 400', async () => {
    const device = await signIn(t.client(), await createUser(t));
    expect((await device.get('/api/account/events?cursor=abc')).body.code).toBe('VALIDATION_FAILED');
    expect((await device.get('/api/account/events?limit=1000')).body.code).toBe('VALIDATION_FAILED');
  });
});
