import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { SoftAuthenticator } from './soft-authenticator.js';
import type { TestApp } from './test-app.js';
import type { TestClient } from './test-client.js';

/** Adds a passkey for a signed-in, freshly authenticated device, through the real routes. */
export async function addPasskey(t: TestApp, device: TestClient, name = 'Laptop'): Promise<SoftAuthenticator> {
  const authenticator = new SoftAuthenticator(t.config.mail.appUrl);
  const options = await device.post('/api/account/passkeys/options');
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  const added = await device.post('/api/account/passkeys', { name, credential: authenticator.register(options.body.options) });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  return authenticator;
}

/** Stores `count` passkey rows for the user directly: the set-up for the per-account cap. */
export function givePasskeys(t: TestApp, userId: string, count: number) {
  return t.prisma.passkey.createMany({
    data: Array.from({ length: count }, (_, i) => ({ userId, name: `Key ${i}`, credentialId: randomBytes(32), publicKey: randomBytes(77), deviceType: 'multiDevice', backedUp: true })),
  });
}

/** Registration options for `device`, answered by a new authenticator: the body of POST /api/account/passkeys. */
export async function newPasskeyRegistration(t: TestApp, device: TestClient): Promise<Record<string, unknown>> {
  const options = await device.post('/api/account/passkeys/options');
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  return { name: 'One more', credential: new SoftAuthenticator(t.config.mail.appUrl).register(options.body.options) };
}

/** Asks `device` for sign-in options and answers them with `authenticator` (no password). */
export async function passkeySignIn(device: TestClient, authenticator: SoftAuthenticator, body: { rememberMe?: boolean } = {}) {
  const options = await device.post('/api/auth/passkey/options');
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  return device.post('/api/auth/passkey', { credential: authenticator.assert(options.body.options), ...body });
}
