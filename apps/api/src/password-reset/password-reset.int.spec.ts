import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { readInbox } from '../../test/mail-inbox.js';
import { mailTo, tokenIn } from '../../test/mail-links.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import { SessionPruner } from '../sessions/session-pruner.js';
import type { TestClient } from '../../test/test-client.js';

const NEW_PASSWORD = 'a brand new passphrase';
const RESET_SUBJECT = 'Reset your password';
let nextIp = 1;
/** Each device its own address unless told otherwise, so the per-IP limit only counts where a test means it to. */
const freshIp = () => `198.51.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;

describe('password reset [E-RESET]', () => {
  let t: TestApp;
  const logLines: string[] = [];
  beforeAll(async () => {
    // Everything the app logs, at every level, to search for tokens.
    const sink = new Writable({ write: (chunk, _encoding, done) => (logLines.push(String(chunk)), done()) });
    t = await startTestApp({ TRUST_PROXY: 'loopback', PASSWORD_RESET_REQUESTS_PER_ADDRESS: '3', PASSWORD_RESET_REQUESTS_PER_IP: '10' }, undefined, pino({ level: 'trace' }, sink));
  });
  afterAll(() => t.close());

  const device = (ip = freshIp()) => t.client({ 'X-Forwarded-For': ip, 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' });
  const requestReset = (email: string, ip?: string) => device(ip).post('/api/auth/password-reset', { email });

  async function resetToken(user: TestUser, count = 1): Promise<string> {
    expect((await requestReset(user.email)).status).toBe(202);
    const mail = await mailTo(t.inboxUrl!, user.email, RESET_SUBJECT, count);
    return tokenIn(mail[count - 1]!);
  }

  it('lets exactly the per-address limit through a parallel burst, known or not [A-RACE]', async () => {
    const user = await createUser(t);
    for (const email of [user.email, 'ghost@example.com']) {
      const answers = await Promise.all(Array.from({ length: 12 }, () => requestReset(email)));
      expect(answers.filter((res) => res.status === 202)).toHaveLength(3);
      expect(answers.filter((res) => res.status === 429)).toHaveLength(9);
    }
  });

  it('lets exactly the per-IP limit through a parallel burst [A-RACE, A-ANON]', async () => {
    const ip = freshIp();
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => requestReset(`burst-${i}@example.com`, ip)));
    expect(answers.filter((res) => res.status === 202)).toHaveLength(10);
    expect(answers.filter((res) => res.status === 429).every((res) => res.body.code === 'TOO_MANY_REQUESTS')).toBe(true);
  });

  it('sets the new password, ends every session and remember-me series, signs nobody in, and says so by email', async () => {
    const user = await createUser(t);
    const laptop = await signIn(device(), user);
    const phone = await signIn(device(), user, { rememberMe: true });
    const remembered = device();
    remembered.setCookie('__Host-remember', phone.cookie('__Host-remember'));

    const token = await resetToken(user);
    const anonymous = device();
    const res = await anonymous.post('/api/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD });
    expect(res.status).toBe(204);
    expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^__Host-(sid|remember)=[^;]/)]));
    expect((await anonymous.get('/api/auth/me')).status).toBe(401);

    for (const other of [laptop, phone]) {
      const kicked = await other.get('/api/auth/me');
      expect([kicked.status, kicked.body.reason]).toEqual([401, 'password_changed']);
    }
    const restore = await remembered.get('/api/auth/me');
    expect([restore.status, restore.body.reason]).toEqual([401, 'password_changed']);
    expect((await device().post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(401);
    await signIn(device(), { email: user.email, password: NEW_PASSWORD });
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'password_reset' } })).toBe(1);
    const [changed] = await mailTo(t.inboxUrl!, user.email, 'Your password was changed');
    expect(changed!.text).toContain('reset with an emailed link');
  });

  it('uses a token once: of two parallel submits exactly one gets 204 [E-RESET]', async () => {
    const user = await createUser(t);
    const token = await resetToken(user);
    const answers = await Promise.all([0, 1].map(() => device().post('/api/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD })));
    expect(answers.map((res) => res.status).sort()).toEqual([204, 400]);
    expect(answers.find((res) => res.status === 400)!.body.code).toBe('LINK_INVALID');
  });

  it('refuses an expired token, and a wrong validator without using the token up', async () => {
    const user = await createUser(t);
    const token = await resetToken(user);
    const [selector] = token.split('.');
    const forged = `${selector}.${'A'.repeat(43)}`;
    expect((await device().post('/api/auth/password-reset/confirm', { token: forged, newPassword: NEW_PASSWORD })).body.code).toBe('LINK_INVALID');
    await t.prisma.emailToken.update({ where: { selector }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await device().post('/api/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD });
    expect([expired.status, expired.body.code]).toEqual([400, 'LINK_INVALID']);
    await signIn(device(), user); // the password is unchanged
    expect((await t.app.get(SessionPruner).prune()).emailTokens).toBeGreaterThanOrEqual(1); // [L-PRUNE]
    expect(await t.prisma.emailToken.count({ where: { selector } })).toBe(0);
  });

  it('kills a token once the password changes any other way', async () => {
    const user = await createUser(t);
    const token = await resetToken(user);
    const signedIn: TestClient = await signIn(device(), user);
    expect((await signedIn.post('/api/account/password', { newPassword: 'changed the usual way' })).status).toBe(204);
    const res = await device().post('/api/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD });
    expect([res.status, res.body.code]).toEqual([400, 'LINK_INVALID']);
    await signIn(device(), { email: user.email, password: 'changed the usual way' });
  });

  it('never writes a token to the logs', async () => {
    const user = await createUser(t);
    const token = await resetToken(user);
    expect((await device().post('/api/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD })).status).toBe(204);
    await mailTo(t.inboxUrl!, user.email, 'Your password was changed');
    const [selector, validator] = token.split('.');
    const logs = logLines.join('');
    expect(logs).toContain('password_reset');
    expect(logs).not.toContain(selector);
    expect(logs).not.toContain(validator);
    expect(logs).not.toContain(encodeURIComponent(token));
  });

  // Last: its twenty-one emails queue behind everything else.
  it('answers the same 202 and body for a known and an unknown address, in the same time', async () => {
    const known = await Promise.all(Array.from({ length: 21 }, () => createUser(t)));
    const [first] = known;
    const knownRes = await requestReset(first!.email);
    const unknownRes = await requestReset('nobody-here@example.com');
    expect([knownRes.status, knownRes.text, knownRes.headers['content-type']]).toEqual([unknownRes.status, unknownRes.text, unknownRes.headers['content-type']]);
    expect(knownRes.status).toBe(202);

    // Interleaved, each a fresh address and IP, so neither limit nor warm-up favours one side.
    const timings = { known: [] as number[], unknown: [] as number[] };
    for (let i = 1; i <= 20; i++) {
      for (const [kind, email] of [['known', known[i]!.email], ['unknown', `nobody-${i}@example.com`]] as const) {
        const started = performance.now();
        expect((await requestReset(email)).status).toBe(202);
        timings[kind].push(performance.now() - started);
        // A known address's work runs after its answer; let it finish so it does not slow the next request.
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
    const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const [knownMedian, unknownMedian] = [median(timings.known), median(timings.unknown)];
    // Each known try is paired with the unknown one right after it, so a machine that slows down
    // for a while slows both sides of a pair alike; the median of those differences is what leaks.
    const pairedGap = median(timings.known.map((known, i) => known - timings.unknown[i]!));
    console.log(`reset request medians over 20 tries: known ${knownMedian.toFixed(1)} ms, unknown ${unknownMedian.toFixed(1)} ms, paired gap ${pairedGap.toFixed(1)} ms`);
    // Answering after the known account's work made the gap 16 ms; generous for a shared 2-core machine.
    expect(Math.abs(pairedGap)).toBeLessThan(Math.max(10, 0.5 * Math.min(knownMedian, unknownMedian)));
    await mailTo(t.inboxUrl!, known[20]!.email, RESET_SUBJECT);
    expect((await readInbox(t.inboxUrl!)).some((mail) => mail.to.some((r) => r.address.startsWith('nobody')))).toBe(false);
  }, 120_000);
});
