import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import { TestClient } from '../../test/test-client.js';

/** Two API processes on one database behave as one app: nothing about a session lives in a process. */
describe('two instances, one database', () => {
  let first: Awaited<ReturnType<typeof startTestApp>>;
  let second: TestApp;
  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp({}, first.database);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  /** The same device talking to instance A or B, as a load balancer would send it. */
  function deviceOn(app: TestApp, device: TestClient): TestClient {
    const moved = app.client();
    for (const [name, value] of device.cookies) moved.setCookie(name, value);
    return moved;
  }

  it('accepts on one instance a session made on the other', async () => {
    const onFirst = await signIn(first.client(), await createUser(first));
    const res = await deviceOn(second, onFirst).get('/api/auth/me');
    expect(res.status).toBe(200);
  });

  it('sees a logout on one instance at once on the other, with the reason', async () => {
    const onFirst = await signIn(first.client(), await createUser(first));
    const onSecond = deviceOn(second, onFirst);
    expect((await onSecond.post('/api/auth/logout')).status).toBe(204);
    const replay = await onFirst.get('/api/auth/me');
    expect(replay.status).toBe(401);
    expect(replay.body.reason).toBe('signed_out');
  });

  it('shares the failed sign-in counters', async () => {
    const user = await createUser(first);
    const apps = [first, second];
    for (let i = 0; i < 5; i++) await apps[i % 2]!.client().post('/api/auth/login', { email: user.email, password: 'wrong password!' });
    expect((await second.client().post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(429);
  });
});
