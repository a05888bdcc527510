import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, PASSWORD, signIn } from '../auth-helpers.js';
import { openLiveStream, type OpenLiveStream } from '../live-stream.js';
import { enrolTotp } from '../mfa-helpers.js';
import { addPasskey } from '../passkey-helpers.js';
import { startTestApp, type TestApp } from '../test-app.js';
import type { TestClient } from '../test-client.js';
import { until } from '../waiting.js';
import * as held from '../held-locks.js';

const STREAMS_PER_USER = 2;

/**
 * Holes found in the hostile review of the hardening of 2 December, each seen failing on 059307f
 * and fixed since: they guard the fixes.
 */
describe('holes found in the review of the hardening follow-ups', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', ANONYMOUS_REQUESTS_PER_IP: '1000', LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_MAX_FAILURES_PER_IP: '1000', LIVE_STREAMS_PER_USER: String(STREAMS_PER_USER) });
  });
  afterAll(() => t?.close());

  const newDevice = (): TestClient => t.client({ 'X-Forwarded-For': `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}` });
  const eventsOf = (userId: string, type: 'step_up' | 'mfa_failed') => t.prisma.securityEvent.count({ where: { userId, type } });

  const holdUserLock = (userId: string) => held.holdUserLock(t, userId);
  const holdTable = (table: 'session') => held.holdTable(t, table);
  const lockWaiters = (count: number) => held.lockWaiters(t, count);

  // Was: openWindow recorded step_up even when rotateId returned null (a parallel step-up of this
  // browser moved the session first), so the loser, which opens no window of its own, committed a
  // second event.
  it('[M-STEPUP, A-EVENTS] two parallel step-ups of one session open one window but record one step_up event', async () => {
    const user = await createUser(t);
    const device = await signIn(newDevice(), user);
    await device.fetchCsrfToken();
    const release = await holdUserLock(user.id);
    const answers = Promise.all([device.post('/api/auth/reauth', { password: PASSWORD }), device.post('/api/auth/reauth', { password: PASSWORD })]);
    await lockWaiters(2);
    await release();
    const settled = await answers;
    expect(settled.map((res) => res.status)).toEqual([200, 200]);
    // One rotation: exactly one of the two answers moved the session to a new ID.
    expect(settled.filter((res) => (res.headers['set-cookie'] as string[] | undefined)?.some((c) => c.startsWith('__Host-sid='))).length).toBe(1);
    expect(await eventsOf(user.id, 'step_up'), 'step_up events for one opened window').toBe(1);
  });

  // Was: the deadline answered 503 while the request waited on the database; the handler then ran:
  // rotateId and step_up committed, but the Set-Cookie with the new ID could no longer be sent, so the
  // device kept the old ID, which answered 401. Now the guard stops a request the deadline answered.
  it('[I-OUTAGE] a step-up the deadline answered 503 does nothing when the database comes back: the device stays signed in', { timeout: 40_000 }, async () => {
    const user = await createUser(t);
    const device = await signIn(newDevice(), user);
    await device.fetchCsrfToken();
    const release = await holdTable('session');
    const res = await device.post('/api/auth/reauth', { password: PASSWORD });
    await release();
    expect(res.status).toBe(503);
    expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
    // Time for the late handler, which found the table free again, to do whatever it would.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await device.get('/api/auth/me')).status, 'a device told 503 must not find itself signed out (401)').toBe(200);
    expect(await eventsOf(user.id, 'step_up'), 'a step-up answered 503 must not have happened').toBe(0);
  });

  // Was: SecondFactorService.prove recorded mfa_failed on a wrong code; a failed passkey recorded nothing.
  it('[A-EVENTS] a failed passkey in a pending sign-in records mfa_failed, as a wrong code does', async () => {
    const user = await createUser(t);
    const device = await signIn(newDevice(), user);
    await enrolTotp(t, device, user.id);
    const passkey = await addPasskey(t, device);
    await device.post('/api/auth/logout');
    const attacker = newDevice();
    expect((await attacker.post('/api/auth/login', { email: user.email, password: user.password })).body.mfaRequired).toBe(true);
    const options = (await attacker.post('/api/auth/login/mfa/passkey/options')).body.options as Record<string, unknown>;
    expect((await attacker.post('/api/auth/login/mfa/passkey', { credential: passkey.assert(options, { uv: false }) })).body.code).toBe('PASSKEY_INVALID');
    expect((await attacker.post('/api/auth/login/mfa', { code: '000000' })).body.code).toBe('INVALID_CODE');
    // The code's event is written in the background: wait for it, then both failures must be there.
    await until(async () => (await eventsOf(user.id, 'mfa_failed')) >= 1, 'the wrong code to be recorded');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await eventsOf(user.id, 'mfa_failed'), 'mfa_failed events for one failed passkey and one wrong code').toBe(2);
  });

  // Was: the late handler ran LiveStreams.open() on a response already closed: its res.on('close')
  // never fired, so the stream stayed counted against the cap (heartbeats wrote to a no-op write).
  it('[I-OUTAGE, D-LIVE] a live stream the deadline answered 503 takes no slot of the user\'s cap when the database comes back', { timeout: 40_000 }, async () => {
    const user = await createUser(t);
    const device = await signIn(newDevice(), user);
    const release = await holdTable('session');
    const late = await openLiveStream(t, device);
    await release();
    expect(late.status).toBe(503);
    await late.closed;
    // Give the late handler time to run against the response that was already answered.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const streams: OpenLiveStream[] = [];
    try {
      for (let i = 0; i < STREAMS_PER_USER; i++) streams.push(await openLiveStream(t, device));
      expect(streams.map((stream) => stream.status), 'streams the user may open after one was answered 503').toEqual(Array(STREAMS_PER_USER).fill(200));
    } finally {
      for (const stream of streams) stream.close();
    }
  });
});
