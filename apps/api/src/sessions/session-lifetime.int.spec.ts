import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import { SessionPruner } from './session-pruner.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every write to a row gives it a new xmin, so an unchanged xmin proves no write happened. */
async function sessionRowVersion(t: TestApp, userId: string): Promise<string> {
  const [row] = await t.prisma.$queryRaw<{ version: string }[]>`SELECT xmin::text AS version FROM session WHERE user_id = ${userId}::uuid`;
  return row!.version;
}

describe('session lifetime', () => {
  describe('with a 3 s idle timeout and a 6 s absolute timeout', () => {
    let t: TestApp;
    let user: TestUser;
    beforeAll(async () => {
      t = await startTestApp({ SESSION_IDLE_TIMEOUT: '3', SESSION_ABSOLUTE_TIMEOUT: '6' });
      user = await createUser(t);
    });
    afterAll(() => t.close());

    it('ends an idle session on the server and says why [L-IDLE]', async () => {
      const device = await signIn(t.client(), user);
      await sleep(3200);
      const res = await device.get('/api/auth/me');
      expect(res.status).toBe(401);
      expect(res.body.reason).toBe('idle_timeout');
    });

    it('keeps an active session alive past the idle timeout, then ends it at the absolute timeout [L-IDLE, L-ABS]', async () => {
      const device = await signIn(t.client(), user);
      for (let second = 0; second < 5; second++) {
        await sleep(1000);
        expect((await device.get('/api/auth/me')).status).toBe(200);
      }
      await sleep(1200);
      const res = await device.get('/api/auth/me');
      expect(res.status).toBe(401);
      expect(res.body.reason).toBe('absolute_timeout');
    });

    it('prunes expired sessions with a scheduled job, leaving a tombstone with the reason [L-PRUNE]', async () => {
      const device = await signIn(t.client(), user);
      await sleep(4100); // the store rounds a row's expiry up to the whole second
      const pruned = await t.app.get(SessionPruner).prune();
      expect(pruned.sessions).toBeGreaterThanOrEqual(1);
      expect(await t.prisma.session.count({ where: { userId: user.id } })).toBe(0);
      expect((await device.get('/api/auth/me')).body.reason).toBe('idle_timeout');
    });
  });

  describe('activity tracking [L-TOUCH]', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('does not write to the database on every request', async () => {
      const user = await createUser(t);
      const device = await signIn(t.client(), user);
      const before = await sessionRowVersion(t, user.id);
      for (let i = 0; i < 50; i++) expect((await device.get('/api/auth/me')).status).toBe(200);
      expect(await sessionRowVersion(t, user.id)).toBe(before);
    });

    it('writes last-active once the touch interval has passed', async () => {
      const short = await startTestApp({ SESSION_IDLE_TIMEOUT: '4' }); // touch interval 2 s
      try {
        const user = await createUser(short);
        const device = await signIn(short.client(), user);
        const before = await sessionRowVersion(short, user.id);
        await sleep(2100);
        expect((await device.get('/api/auth/me')).status).toBe(200);
        expect(await sessionRowVersion(short, user.id)).not.toBe(before);
      } finally {
        await short.close();
      }
    });
  });
});
