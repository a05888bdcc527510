import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, PASSWORD, signIn } from '../../test/auth-helpers.js';
import { sameBrowser } from '../../test/races.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';

const statuses = (answers: { status: number }[]) => answers.map((res) => res.status);
const count = (list: number[], status: number) => list.filter((s) => s === status).length;

/** [A-RACE, A-BRUTE] Every limit holds when the attempts arrive all at once, from anywhere. */
describe('limits under parallel requests', { timeout: 120_000 }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', LOGIN_MAX_FAILURES_PER_IP: '20', SIGN_UPS_PER_IP: '5' });
  });
  afterAll(() => t.close());

  /** A client at its own address, its CSRF token fetched, ready to fire. */
  async function attackerAt(ip: string): Promise<TestClient> {
    const client = t.client({ 'X-Forwarded-For': ip });
    await client.fetchCsrfToken();
    return client;
  }

  it('checks at most the limit of 30 parallel guesses from 30 addresses; the right password then gets 429', async () => {
    const user = await createUser(t);
    const attackers = await Promise.all(Array.from({ length: 30 }, (_, i) => attackerAt(`198.51.100.${i + 1}`)));
    const answers = statuses(await Promise.all(attackers.map((a) => a.post('/api/auth/login', { email: user.email, password: 'wrong password!' }))));
    expect(count(answers, 401)).toBeLessThanOrEqual(5);
    expect(count(answers, 429)).toBeGreaterThanOrEqual(25);
    expect((await (await attackerAt('198.51.100.99')).post('/api/auth/login', { email: user.email, password: PASSWORD })).status).toBe(429);
  });

  it('counts an IPv6 /64 as one address: a spray from 30 addresses in it is cut off at the per-IP limit', async () => {
    const users = await Promise.all(Array.from({ length: 30 }, () => createUser(t)));
    const answers: number[] = [];
    for (const [i, user] of users.entries()) {
      const attacker = await attackerAt(`2001:db8:aa:bb::${(i + 1).toString(16)}`);
      answers.push((await attacker.post('/api/auth/login', { email: user.email, password: 'wrong password!' })).status);
    }
    expect(count(answers, 401)).toBe(20);
    expect(count(answers, 429)).toBe(10);
  });

  it('lets the owner in on a known device while guesses from elsewhere are refused, in parallel [A-BRUTE]', async () => {
    const user = await createUser(t);
    const owner = await signIn(t.client({ 'X-Forwarded-For': '203.0.113.50' }), user);
    expect(owner.cookie('__Host-device')).toBeDefined();
    await owner.post('/api/auth/logout');
    const attackers = await Promise.all(Array.from({ length: 30 }, (_, i) => attackerAt(`192.0.2.${i + 1}`)));
    const guesses = statuses(await Promise.all(attackers.map((a) => a.post('/api/auth/login', { email: user.email, password: 'wrong password!' }))));
    expect(count(guesses, 401)).toBeLessThanOrEqual(5);
    // The account is limited for everyone else, even with the right password...
    expect((await (await attackerAt('192.0.2.200')).post('/api/auth/login', { email: user.email, password: PASSWORD })).status).toBe(429);
    // ...but not for the browser that signed in before, and that sign-in is on the record.
    const back = await owner.post('/api/auth/login', { email: user.email, password: PASSWORD });
    expect(back.status).toBe(200);
    await expect.poll(() => t.prisma.securityEvent.count({ where: { userId: user.id, type: 'sign_in', details: { path: ['knownDeviceDuringLockout'], equals: true } } })).toBe(1);
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'sign_in_throttled' } })).toBe(1);
  });

  it("does not let a device cookie of one account help guesses on another", async () => {
    const [alice, bob] = [await createUser(t), await createUser(t)];
    const device = await signIn(t.client({ 'X-Forwarded-For': '203.0.113.60' }), alice);
    await device.post('/api/auth/logout');
    const attackers = await Promise.all(Array.from({ length: 6 }, (_, i) => attackerAt(`192.0.2.${100 + i}`)));
    await Promise.all(attackers.map((a) => a.post('/api/auth/login', { email: bob.email, password: 'wrong password!' })));
    expect((await device.post('/api/auth/login', { email: bob.email, password: bob.password })).status).toBe(429);
  });

  it('stores no counter per guessed email once an address is refused [A-ANON]', async () => {
    const flooder = await attackerAt('198.51.100.250');
    const before = await t.prisma.loginThrottle.count();
    const answers: number[] = [];
    for (let i = 0; i < 60; i++) answers.push((await flooder.post('/api/auth/login', { email: `nobody-${i}@example.com`, password: 'wrong password!' })).status);
    expect(count(answers, 429)).toBe(40);
    // The address's counter and one per email it was allowed to try: 1 + 20.
    expect(await t.prisma.loginThrottle.count()).toBe(before + 21);
  });

  it('trusts a device only until the password changes [A-BRUTE]', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client({ 'X-Forwarded-For': '203.0.113.90' }), user);
    expect((await device.post('/api/auth/reauth', { password: user.password })).status).toBe(200);
    expect((await device.post('/api/account/password', { newPassword: 'a brand new password' })).status).toBe(204);
    await device.post('/api/auth/logout');
    const attackers = await Promise.all(Array.from({ length: 6 }, (_, i) => attackerAt(`192.0.2.${150 + i}`)));
    await Promise.all(attackers.map((a) => a.post('/api/auth/login', { email: user.email, password: 'wrong password!' })));
    // The device cookie was issued for the old generation: this browser is one of the many now.
    expect((await device.post('/api/auth/login', { email: user.email, password: 'a brand new password' })).status).toBe(429);
  });

  it('checks at most the limit of 30 parallel wrong step-up passwords from one session [U-STEPUP]', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client({ 'X-Forwarded-For': '203.0.113.70' }), user);
    await device.fetchCsrfToken();
    const tabs = Array.from({ length: 30 }, () => sameBrowser(t, device));
    const answers = statuses(await Promise.all(tabs.map((tab) => tab.post('/api/auth/reauth', { password: 'wrong password!' }))));
    expect(count(answers, 401)).toBeLessThanOrEqual(5);
    expect(count(answers, 429)).toBeGreaterThanOrEqual(25);
  });

  it('caps sign-ups per address atomically, so EMAIL_TAKEN probing costs as much as sign-in guessing [A-ANON]', async () => {
    const prober = await attackerAt('203.0.113.80');
    const tabs = Array.from({ length: 30 }, () => sameBrowser(t, prober));
    const answers = statuses(
      await Promise.all(tabs.map((tab, i) => tab.post('/api/auth/register', { email: `probe-${i}@example.com`, password: PASSWORD, name: 'Probe' }))),
    );
    expect(count(answers, 201)).toBe(5);
    expect(count(answers, 429)).toBe(25);
    // Neighbours in one /24 share three times that, so hopping addresses does not help for long.
    const hops = await Promise.all(Array.from({ length: 20 }, (_, i) => attackerAt(`198.18.7.${i + 1}`)));
    const hopped = statuses(await Promise.all(hops.map((hop, i) => hop.post('/api/auth/register', { email: `hop-${i}@example.com`, password: PASSWORD, name: 'Hop' }))));
    expect(count(hopped, 201)).toBe(15);
    expect(count(hopped, 429)).toBe(5);
  });
});
