import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, signIn } from '../../test/auth-helpers.js';
import { readInbox } from '../../test/mail-inbox.js';
import { mailTo, tokenIn } from '../../test/mail-links.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const ALERT = 'New sign-in to your account';

describe('new-device alerts and "This wasn\'t me" [E-NOTIFY]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'loopback' });
  });
  afterAll(() => t.close());

  const device = (userAgent: string, ip: string) => t.client({ 'User-Agent': userAgent, 'X-Forwarded-For': ip });
  const alertsTo = async (email: string) => (await readInbox(t.inboxUrl!)).filter((m) => m.subject.startsWith(ALERT) && m.to.some((r) => r.address === email));

  async function signUp(email: string) {
    const home = device(FIREFOX, '203.0.113.10');
    expect((await home.post('/api/auth/register', { email, password: PASSWORD, name: 'Alert Test' })).status).toBe(201);
    return { email, password: PASSWORD };
  }

  it('alerts only for a browser family and network prefix not seen lately, with the device details', async () => {
    const user = await signUp('watched@example.com');
    await signIn(device(FIREFOX, '203.0.113.10'), user); // the sign-up's own device
    await signIn(device(FIREFOX, '203.0.77.5'), user); // same browser, same /16
    const owner = await t.prisma.user.findUniqueOrThrow({ where: { email: user.email } });
    expect(await t.prisma.securityEvent.count({ where: { userId: owner.id, type: 'new_device_alert' } })).toBe(0);

    await signIn(device(CHROME, '198.51.100.23'), user);
    const [alert] = await mailTo(t.inboxUrl!, user.email, ALERT);
    expect(alert!.text).toMatch(/Chrome on Windows/);
    expect(alert!.text).toContain('198.51.100.23');
    expect(alert!.text).toMatch(/Time: .*UTC/);
    expect(alert!.text).toContain('/not-me#token=');
    await signIn(device(CHROME, '198.51.7.7'), user); // now a known device
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await alertsTo(user.email)).toHaveLength(1);
    expect(await t.prisma.securityEvent.count({ where: { userId: owner.id, type: 'new_device_alert' } })).toBe(1);
  });

  it('"This wasn\'t me" ends exactly that session at once, without a sign-in, and works once', async () => {
    const user = await signUp('disowner@example.com');
    const home = await signIn(device(FIREFOX, '203.0.113.10'), user);
    const stranger = await signIn(device(CHROME, '192.0.2.44'), user, { rememberMe: true });
    const token = tokenIn((await mailTo(t.inboxUrl!, user.email, ALERT))[0]!);

    const res = await t.client().post('/api/auth/not-me', { token });
    expect(res.status).toBe(204);
    const kicked = await stranger.get('/api/auth/me');
    expect([kicked.status, kicked.body.reason]).toEqual([401, 'revoked']);
    const restored = device(CHROME, '192.0.2.44');
    restored.setCookie('__Host-remember', stranger.cookie('__Host-remember'));
    expect((await restored.get('/api/auth/me')).status).toBe(401);
    expect((await home.get('/api/auth/me')).status).toBe(200);

    const again = await t.client().post('/api/auth/not-me', { token });
    expect([again.status, again.body.code]).toEqual([400, 'LINK_INVALID']);
    const owner = await t.prisma.user.findUniqueOrThrow({ where: { email: user.email } });
    expect(await t.prisma.securityEvent.count({ where: { userId: owner.id, type: 'new_device_disowned' } })).toBe(1);
  });

  it('a password change by the usual route is emailed too', async () => {
    const user = await signUp('changer@example.com');
    const home = await signIn(device(FIREFOX, '203.0.113.10'), user);
    expect((await home.post('/api/account/password', { newPassword: 'another long passphrase' })).status).toBe(204);
    const [mail] = await mailTo(t.inboxUrl!, user.email, 'Your password was changed');
    expect(mail!.text).toContain('Firefox on Linux');
  });
});
