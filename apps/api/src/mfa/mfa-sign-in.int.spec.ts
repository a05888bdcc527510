import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { dumpDatabase } from '../../test/dump-database.js';
import { enrolTotp, nextTimeStep, totpCode } from '../../test/mfa-helpers.js';
import { liveSessions, sameBrowser } from '../../test/races.js';
import { SessionPruner } from '../sessions/session-pruner.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import { setCookieHeaders, type TestClient } from '../../test/test-client.js';

describe('signing in with a second factor [M-TOTP, M-RECOVERY, M-SIGNIN]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '1000' });
  });
  afterAll(() => t.close());

  async function userWithTotp(): Promise<TestUser & { secret: string; recoveryCodes: string[] }> {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const factor = await enrolTotp(t, device, user.id);
    await device.post('/api/auth/logout');
    return { ...user, ...factor };
  }

  /** The password step: a device holding a pending sign-in. */
  async function pending(user: TestUser, body: { rememberMe?: boolean } = {}): Promise<TestClient> {
    const device = t.client();
    const res = await device.post('/api/auth/login', { email: user.email, password: user.password, ...body });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
    return device;
  }

  it('answers the right password with mfaRequired and no session: no row, no session or remember-me cookie', async () => {
    const user = await userWithTotp();
    const sessionsBefore = await liveSessions(t, user.id);
    const device = t.client();
    const res = await device.post('/api/auth/login', { email: user.email, password: user.password, rememberMe: true });
    expect(res.body).toEqual({ mfaRequired: true, methods: ['totp', 'recovery_code'] });
    const cookies = setCookieHeaders(res).map((header) => header.split('=')[0]);
    expect(cookies).toContain('__Host-pending');
    expect(cookies).not.toContain('__Host-sid');
    expect(cookies).not.toContain('__Host-remember');
    expect(setCookieHeaders(res).find((header) => header.startsWith('__Host-pending='))).toMatch(/; Max-Age=300; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    expect(await liveSessions(t, user.id)).toBe(sessionsBefore);
    // The pending sign-in opens nothing, even presented as a session cookie.
    expect((await device.get('/api/auth/me')).status).toBe(401);
    expect((await device.get('/api/sessions')).status).toBe(401);
    const forged = t.client();
    forged.setCookie('__Host-sid', device.cookie('__Host-pending'));
    expect((await forged.get('/api/auth/me')).status).toBe(401);
  });

  it('completes with a code under a new session ID, applying "remember me" then; the pending token is spent', async () => {
    const user = await userWithTotp();
    const device = await pending(user, { rememberMe: true });
    const stolenPending = sameBrowser(t, device);
    const res = await device.post('/api/auth/login/mfa', { code: totpCode(user.secret) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user).toMatchObject({ id: user.id });
    expect(device.cookie('__Host-sid')).toBeDefined();
    expect(device.cookie('__Host-remember')).toBeDefined();
    expect(device.cookie('__Host-pending')).toBeUndefined();
    expect((await device.get('/api/auth/me')).body.session.remembered).toBe(true);
    await nextTimeStep(t, user.id);
    expect((await stolenPending.post('/api/auth/login/mfa', { code: totpCode(user.secret) })).status).toBe(401);
  });

  it('refuses a code replayed in its window, even from another pending sign-in', async () => {
    const user = await userWithTotp();
    const code = totpCode(user.secret);
    expect((await (await pending(user)).post('/api/auth/login/mfa', { code })).status).toBe(200);
    const replay = await (await pending(user)).post('/api/auth/login/mfa', { code });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('INVALID_CODE');
  });

  it('gives one success to parallel submits of one code [A-RACE]', async () => {
    const user = await userWithTotp();
    const devices = await Promise.all([1, 2, 3].map(() => pending(user)));
    const code = totpCode(user.secret);
    const results = await Promise.all([...devices, ...devices].map((device) => device.post('/api/auth/login/mfa', { code })));
    expect(results.filter((res) => res.status === 200)).toHaveLength(1);
    expect(await liveSessions(t, user.id)).toBe(1);
  });

  it('spends a recovery code once, under parallel use too, and records it', async () => {
    const user = await userWithTotp();
    const [recoveryCode] = user.recoveryCodes;
    const devices = await Promise.all([1, 2, 3].map(() => pending(user)));
    const results = await Promise.all(devices.map((device) => device.post('/api/auth/login/mfa', { recoveryCode: recoveryCode!.toUpperCase() })));
    expect(results.map((res) => res.status).sort()).toEqual([200, 401, 401]);
    const again = await (await pending(user)).post('/api/auth/login/mfa', { recoveryCode });
    expect(again.body.code).toBe('INVALID_CODE');
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'recovery_code_used' } })).toBe(1);
    expect((await (await pending(user)).post('/api/auth/login/mfa', { recoveryCode: user.recoveryCodes[1] })).status).toBe(200);
  });

  it('limits wrong codes per account under parallel guesses, and a right password does not reset the count [A-BRUTE, A-RACE]', async () => {
    const user = await userWithTotp();
    const attacker = await pending(user);
    const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => attacker.post('/api/auth/login/mfa', { code: String(100000 + i) })));
    const checked = guesses.filter((res) => res.status === 401).length;
    expect(checked).toBeLessThanOrEqual(3);
    expect(guesses.filter((res) => res.status === 429)).toHaveLength(12 - checked);
    const again = await pending(user);
    expect((await again.post('/api/auth/login/mfa', { code: totpCode(user.secret) })).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'mfa_failed' } })).toBe(checked);
  });

  it('lets a pending sign-in die after five minutes', async () => {
    const user = await userWithTotp();
    const device = await pending(user);
    await t.prisma.pendingSignIn.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await device.post('/api/auth/login/mfa', { code: totpCode(user.secret) });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    expect((await t.app.get(SessionPruner).prune()).pendingSignIns).toBeGreaterThanOrEqual(1);
    expect(await t.prisma.pendingSignIn.count({ where: { userId: user.id } })).toBe(0);
  });

  it('stores no session for a pending sign-in whose password was changed meanwhile [L-FINAL]', async () => {
    const user = await userWithTotp();
    const device = await pending(user);
    await t.prisma.user.update({ where: { id: user.id }, data: { sessionGeneration: { increment: 1 } } });
    expect((await device.post('/api/auth/login/mfa', { code: totpCode(user.secret) })).status).toBe(401);
    expect(await liveSessions(t, user.id)).toBe(0);
  });

  it('keeps no authenticator secret and no recovery code in clear in the database [S-AT-REST]', async () => {
    const user = await userWithTotp();
    const dump = await dumpDatabase(t.databaseUrl);
    expect(dump).not.toContain(user.secret);
    for (const code of user.recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace('-', ''));
    }
  });
});
