import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import type { TestClient } from '../../test/test-client.js';
import { until } from '../../test/waiting.js';
import * as passkeys from '../../test/passkey-helpers.js';

const AT_MOST = { statusCode: 400, code: 'VALIDATION_FAILED', message: 'An account can hold at most 20 passkeys. Remove one to add another.' };

/** [M-PASSKEY, A-RACE] Each passkey is a row and an email: one account cannot add them without end. */
describe('at most 20 passkeys per account', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  const passkeysOf = (userId: string) => t.prisma.passkey.count({ where: { userId } });
  const givePasskeys = (userId: string, count: number) => passkeys.givePasskeys(t, userId, count);
  const newPasskey = (device: TestClient) => passkeys.newPasskeyRegistration(t, device);

  it('refuses the options and the registration of a 21st passkey', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    await givePasskeys(user.id, 19);
    const twentieth = await newPasskey(device);
    await givePasskeys(user.id, 1); // the 20th arrived while this one was being made
    expect((await device.post('/api/account/passkeys', twentieth)).body).toEqual(AT_MOST);
    expect((await device.post('/api/account/passkeys/options')).body).toEqual(AT_MOST);
    expect(await passkeysOf(user.id)).toBe(20);
  });

  it('lets exactly one of parallel registrations at 19 passkeys through', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    await givePasskeys(user.id, 19);
    const bodies = [await newPasskey(device), await newPasskey(device), await newPasskey(device)];
    // The user's lock is held while all three arrive, so each has passed every check before it
    // and none is refused for another reason (a session ID the winner rotated away).
    let release!: () => void;
    const held = t.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${user.id}::uuid FOR UPDATE`;
      await new Promise<void>((resolve) => (release = resolve));
    }, { timeout: 20_000 });
    const answers = Promise.all(bodies.map((body) => device.post('/api/account/passkeys', body)));
    await until(async () => {
      const [row] = await t.prisma.$queryRaw<{ waiting: bigint }[]>`SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
      return row!.waiting >= BigInt(bodies.length);
    }, 'three registrations waiting for the user lock');
    release();
    await held;
    const settled = await answers;
    expect(settled.map((res) => res.status).sort()).toEqual([201, 400, 400]);
    for (const refused of settled.filter((res) => res.status === 400)) expect(refused.body).toEqual(AT_MOST);
    expect(await passkeysOf(user.id)).toBe(20);
  });
});
