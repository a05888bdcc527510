import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const FIREFOX_NEWER = 'Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** The same cookie jar presenting itself from another address and browser, as a hijacker would. */
function asClient(t: TestApp, cookieHeader: string, ip: string, userAgent: string) {
  const client = t.client({ 'X-Forwarded-For': ip, 'User-Agent': userAgent });
  for (const pair of cookieHeader.split('; ')) client.setCookie(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  return client;
}

describe('suspicious sessions [A-SUSPECT]', () => {
  describe('policy strict', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ TRUST_PROXY: 'loopback', SUSPICIOUS_SESSION_POLICY: 'strict' });
    });
    afterAll(() => t.close());

    async function signedIn() {
      const user = await createUser(t);
      const device = await signIn(t.client({ 'X-Forwarded-For': '198.51.100.7', 'User-Agent': FIREFOX }), user);
      return { user, cookies: device.cookieHeader() };
    }

    it('allows an IP change alone (mobile networks)', async () => {
      const { cookies } = await signedIn();
      expect((await asClient(t, cookies, '203.0.113.50', FIREFOX).get('/api/auth/me')).status).toBe(200);
    });

    it('allows a browser update within the same family and network', async () => {
      const { cookies } = await signedIn();
      expect((await asClient(t, cookies, '198.51.3.3', FIREFOX_NEWER).get('/api/auth/me')).status).toBe(200);
    });

    it('allows a browser change on the same network prefix', async () => {
      const { cookies } = await signedIn();
      expect((await asClient(t, cookies, '198.51.200.1', CHROME).get('/api/auth/me')).status).toBe(200);
    });

    it('ends the session when both the network and the browser family change, and records it', async () => {
      const { user, cookies } = await signedIn();
      const hijacker = asClient(t, cookies, '203.0.113.50', CHROME);
      const res = await hijacker.get('/api/auth/me');
      expect(res.status).toBe(401);
      expect(res.body.reason).toBe('suspicious');
      // The real owner must sign in again too: the session is gone.
      expect((await asClient(t, cookies, '198.51.100.7', FIREFOX).get('/api/auth/me')).body.reason).toBe('suspicious');
      expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'suspicious_session_ended' } })).toBe(1);
    });
  });

  describe('policy log', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ TRUST_PROXY: 'loopback', SUSPICIOUS_SESSION_POLICY: 'log' });
    });
    afterAll(() => t.close());

    it('only records: the session continues', async () => {
      const user = await createUser(t);
      const device = await signIn(t.client({ 'X-Forwarded-For': '198.51.100.7', 'User-Agent': FIREFOX }), user);
      expect((await asClient(t, device.cookieHeader(), '203.0.113.50', CHROME).get('/api/auth/me')).status).toBe(200);
    });
  });
});
