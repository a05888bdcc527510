import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, type TestUser } from '../../test/auth-helpers.js';
import { sessionIdOf } from '../../test/live-stream.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import { LIVE_CHANNEL, type LiveNotification } from './live-events.js';
import { SessionPruner } from './session-pruner.js';
import { SessionsService } from './sessions.service.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** [D-LIVE] What the database publishes, heard on a LISTEN connection of the test's own. */
describe('live notifications [D-LIVE]', () => {
  let t: TestApp;
  let listener: pg.Client;
  let user: TestUser;
  const heard: { payload: string; notification: LiveNotification }[] = [];

  beforeAll(async () => {
    t = await startTestApp({ SESSION_IDLE_TIMEOUT: '2', SESSION_ABSOLUTE_TIMEOUT: '60' });
    listener = new pg.Client({ connectionString: t.databaseUrl });
    await listener.connect();
    listener.on('notification', ({ payload = '' }) => heard.push({ payload, notification: JSON.parse(payload) as LiveNotification }));
    await listener.query(`LISTEN ${LIVE_CHANNEL}`);
  });
  afterAll(async () => {
    await listener?.end();
    await t?.close();
  });

  const endedFor = (userId: string) => heard.filter(({ notification: n }) => n.type === 'ended' && n.userId === userId);

  it('publishes nothing for an end whose transaction rolls back', async () => {
    user = await createUser(t);
    await signIn(t.client(), user);
    const sessions = t.app.get(SessionsService);
    await expect(
      t.prisma.$transaction(async (tx) => {
        await sessions.endEverything(user.id, 'revoked', { tx });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await sleep(300);
    expect(endedFor(user.id)).toEqual([]);
    expect(await t.prisma.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it('publishes each end after its commit, naming the stored hash and the reason only', async () => {
    user = await createUser(t);
    const device = await signIn(t.client(), user);
    const sid = await sessionIdOf(device);
    const cookieId = decodeURIComponent(device.cookie('__Host-sid')!).slice(2, 45);
    await device.post('/api/auth/logout');
    await sleep(300);
    const [ended, ...more] = endedFor(user.id);
    expect(more).toEqual([]);
    expect(ended!.notification).toEqual({ type: 'ended', userId: user.id, sid, reason: 'signed_out' });
    expect(ended!.payload).not.toContain(cookieId);
    expect(Buffer.byteLength(ended!.payload)).toBeLessThan(8000);
  });

  it('the scheduled prune publishes the timeout that ended a session', async () => {
    user = await createUser(t);
    const device = await signIn(t.client(), user);
    const sid = await sessionIdOf(device);
    await sleep(3100); // past the idle timeout; the store rounds a row's expiry up to the second
    await t.app.get(SessionPruner).prune();
    await sleep(300);
    expect(endedFor(user.id).map(({ notification }) => notification)).toEqual([{ type: 'ended', userId: user.id, sid, reason: 'idle_timeout' }]);
  });
});
