import { isoCBOR } from '@simplewebauthn/server/helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../../test/auth-helpers.js';
import { addPasskey } from '../../test/passkey-helpers.js';
import { lapseStepUp } from '../../test/races.js';
import { SoftAuthenticator } from '../../test/soft-authenticator.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import { waitForInbox } from '../../test/mail-inbox.js';

describe('adding, removing and stepping up with passkeys [M-PASSKEY, M-CHANGE, M-STEPUP]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REQUIRE_MFA_FOR_ADMINS: 'true' });
  });
  afterAll(() => t.close());

  it('needs step-up to ask for registration options, to register and to remove', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const passkey = await addPasskey(t, device);
    const options = (await device.post('/api/account/passkeys/options')).body.options as Record<string, unknown>;
    await lapseStepUp(t, device);
    const { id } = (await t.prisma.passkey.findFirstOrThrow({ where: { userId: user.id } })) as { id: string };
    const attempts = [
      await device.post('/api/account/passkeys/options'),
      await device.post('/api/account/passkeys', { name: 'Second', credential: new SoftAuthenticator(t.config.mail.appUrl).register(options) }),
      await device.delete(`/api/account/passkeys/${id}`),
    ];
    expect(attempts.map((res) => res.body.code)).toEqual(['REAUTH_REQUIRED', 'REAUTH_REQUIRED', 'REAUTH_REQUIRED']);
    expect(await t.prisma.passkey.count({ where: { userId: user.id } })).toBe(1);
    expect(passkey).toBeDefined();
  });

  it('adding one ends every other session and remember-me series, moves this one to a new ID, records it and emails the owner', async () => {
    const user = await createUser(t);
    const other = await signIn(t.client(), user, { rememberMe: true });
    const device = await signIn(t.client(), user);
    const before = device.cookie('__Host-sid');
    await addPasskey(t, device, 'Work laptop');
    expect(device.cookie('__Host-sid')).not.toBe(before);
    expect((await device.get('/api/auth/me')).status).toBe(200);
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect(await t.prisma.rememberToken.count({ where: { userId: user.id, endedAt: null } })).toBe(0);
    expect(await t.prisma.securityEvent.count({ where: { userId: user.id, type: 'passkey_added' } })).toBe(1);
    const list = (await device.get('/api/account/passkeys')).body.passkeys as { name: string; createdAt: string; lastUsedAt: string | null }[];
    expect(list).toEqual([expect.objectContaining({ name: 'Work laptop', createdAt: expect.any(String), lastUsedAt: null })]);
    await waitForInbox(t.inboxUrl!, (mail) => mail.some((m) => m.to[0]?.address === user.email && m.text.includes('A passkey was added')));
  });

  it('refuses a registration without user verification, and one answered from another session', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const second = await signIn(t.client(), user);
    const noUv = (await device.post('/api/account/passkeys/options')).body.options as Record<string, unknown>;
    const refused = await device.post('/api/account/passkeys', { name: 'No UV', credential: new SoftAuthenticator(t.config.mail.appUrl).register(noUv, { uv: false }) });
    expect(refused.body.code).toBe('PASSKEY_INVALID');
    const fromDevice = (await device.post('/api/account/passkeys/options')).body.options as Record<string, unknown>;
    const elsewhere = await second.post('/api/account/passkeys', { name: 'Elsewhere', credential: new SoftAuthenticator(t.config.mail.appUrl).register(fromDevice) });
    expect(elsewhere.body.code).toBe('PASSKEY_INVALID');
    expect(await t.prisma.passkey.count({ where: { userId: user.id } })).toBe(0);
  });

  it('keeps public keys only: no column holds the private key', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const passkey = await addPasskey(t, device);
    const [row] = await t.prisma.$queryRaw<Record<string, unknown>[]>`SELECT * FROM passkeys WHERE user_id = ${user.id}::uuid`;
    expect(Buffer.from(row!.public_key as Uint8Array)).toEqual(Buffer.from(passkey.cosePublicKey()));
    expect(Buffer.from(row!.credential_id as Uint8Array)).toEqual(passkey.credentialId);
    // A COSE key with no private part (-4, "d"): only x and y of the curve point.
    const stored = isoCBOR.decodeFirst<Map<number, unknown>>(new Uint8Array(row!.public_key as Uint8Array));
    expect([...stored.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 1, 3]);
    const secret = passkey.privateKeyBytes();
    for (const value of Object.values(row!)) {
      const bytes = value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value));
      expect(bytes.includes(secret)).toBe(false);
      expect(bytes.includes(Buffer.from(secret.toString('base64url')))).toBe(false);
    }
  });

  it('removes only the user\'s own passkey: another user\'s is 404 like an unknown one; removing ends other sessions and records it', async () => {
    const owner = await createUser(t);
    const ownerDevice = await signIn(t.client(), owner);
    await addPasskey(t, ownerDevice);
    const { id } = await t.prisma.passkey.findFirstOrThrow({ where: { userId: owner.id } });
    const attacker = await createUser(t);
    const attackerDevice = await signIn(t.client(), attacker);
    const foreign = await attackerDevice.delete(`/api/account/passkeys/${id}`);
    const unknown = await attackerDevice.delete('/api/account/passkeys/00000000-0000-4000-8000-000000000000');
    const malformed = await attackerDevice.delete('/api/account/passkeys/not-a-uuid');
    expect([foreign.status, unknown.status, malformed.status]).toEqual([404, 404, 404]);
    expect(foreign.body).toEqual(unknown.body);
    expect(await t.prisma.passkey.count({ where: { id } })).toBe(1);
    const other = await signIn(t.client(), owner);
    const ownerSecond = await ownerDevice.delete(`/api/account/passkeys/${id}`);
    expect(ownerSecond.status).toBe(204);
    expect(await t.prisma.passkey.count({ where: { id } })).toBe(0);
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect(await t.prisma.securityEvent.count({ where: { userId: owner.id, type: 'passkey_removed' } })).toBe(1);
  });

  it('steps up with the user\'s passkey under a new session ID, and refuses another user\'s passkey there', async () => {
    const user = await createUser(t);
    const device = await signIn(t.client(), user);
    const passkey = await addPasskey(t, device);
    const stranger = await createUser(t);
    const strangerPasskey = await addPasskey(t, await signIn(t.client(), stranger));
    await lapseStepUp(t, device);
    const options = (await device.post('/api/auth/reauth/passkey/options')).body.options as Record<string, unknown>;
    const foreign = await device.post('/api/auth/reauth/passkey', { credential: strangerPasskey.assert(options) });
    expect(foreign.body.code).toBe('PASSKEY_INVALID');
    expect((await device.delete('/api/account/passkeys/00000000-0000-4000-8000-000000000000')).body.code).toBe('REAUTH_REQUIRED');
    const before = device.cookie('__Host-sid');
    const fresh = (await device.post('/api/auth/reauth/passkey/options')).body.options as Record<string, unknown>;
    const res = await device.post('/api/auth/reauth/passkey', { credential: passkey.assert(fresh) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(device.cookie('__Host-sid')).not.toBe(before);
    expect((await device.delete('/api/account/passkeys/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    const stepUp = await t.prisma.securityEvent.findFirst({ where: { userId: user.id, type: 'step_up', details: { path: ['method'], equals: 'passkey' } } });
    expect(stepUp).not.toBeNull();
  });

  it('counts a passkey as the second factor an admin needs [M-CHANGE]', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const device = await signIn(t.client(), admin);
    expect((await device.get('/api/admin/users')).body.code).toBe('MFA_ENROLMENT_REQUIRED');
    await addPasskey(t, device);
    expect((await device.get('/api/admin/users')).status).toBe(200);
  });
});
