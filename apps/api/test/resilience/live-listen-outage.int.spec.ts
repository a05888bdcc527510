import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTENER_NAME } from '../../src/sessions/live-listener.js';
import { createUser, signIn, type TestUser } from '../auth-helpers.js';
import { openLiveStream, sessionIdOf } from '../live-stream.js';
import { startTestApp, type TestApp } from '../test-app.js';
import type { TestDatabase } from '../test-database.js';
import { proxiedTestDatabase, type TcpProxy } from './tcp-proxy.js';

const HEARTBEAT_S = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * [D-LIVE] Instance two reaches PostgreSQL through a proxy the test cuts, so its LISTEN connection
 * drops and a notification sent meanwhile is lost. The stream must still end within one heartbeat
 * of the connection coming back, and the instance must listen and serve again with no restart.
 */
describe('live streams when the LISTEN connection is cut [D-LIVE, I-OUTAGE]', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let one: TestApp;
  let two: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    let throughProxy: TestDatabase;
    ({ database, proxy, throughProxy } = await proxiedTestDatabase());
    const env = { LIVE_HEARTBEAT: String(HEARTBEAT_S) };
    one = await startTestApp(env, database);
    two = await startTestApp(env, throughProxy);
    user = await createUser(one);
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await proxy?.close();
    await database?.drop();
  });

  const listeners = async () =>
    (await one.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = ${LISTENER_NAME} AND datname = current_database()`)[0]!.n;

  it('an end during the cut reaches the stream within one heartbeat of the connection coming back', async () => {
    const deviceA = await signIn(one.client(), user);
    const deviceB = await signIn(one.client(), user);
    const stream = await openLiveStream(two, deviceB);
    expect(stream.status).toBe(200);
    expect(await listeners()).toBe(2n);

    await proxy.cut();
    expect((await deviceA.delete(`/api/sessions/${await sessionIdOf(deviceB)}`)).status).toBe(204);
    // Instance two can neither hear nor re-check: the stream stays open, and is not ended for the outage.
    await sleep(HEARTBEAT_S * 1000 + 500);
    expect(stream.isClosed()).toBe(false);

    await proxy.restore();
    const back = Date.now();
    const ended = await stream.next('ended', HEARTBEAT_S * 1000 + 2000);
    expect(ended.data).toEqual({ reason: 'revoked' });
    expect(ended.at - back).toBeLessThan(HEARTBEAT_S * 1000 + 500);
  });

  it('listens again after the cut: the next end arrives by notification, and the instance serves on', async () => {
    for (let tries = 0; (await listeners()) < 2n; tries++) {
      if (tries > 100) throw new Error('instance two never listened again');
      await sleep(100);
    }
    const deviceA = await signIn(one.client(), user);
    const deviceB = await signIn(one.client(), user);
    const stream = await openLiveStream(two, deviceB);
    const since = Date.now();
    expect((await deviceA.post('/api/sessions/revoke-others')).status).toBe(200);
    const ended = await stream.next('ended', 3000);
    expect(ended.data).toEqual({ reason: 'revoked' });
    expect(ended.at - since).toBeLessThan(1000);
    const viaTwo = two.client();
    for (const [name, value] of deviceA.cookies) viaTwo.setCookie(name, value);
    expect((await viaTwo.get('/api/auth/me')).status).toBe(200);
  });
});
