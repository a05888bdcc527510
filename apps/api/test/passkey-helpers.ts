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

/** Asks `device` for sign-in options and answers them with `authenticator` (no password). */
export async function passkeySignIn(device: TestClient, authenticator: SoftAuthenticator, body: { rememberMe?: boolean } = {}) {
  const options = await device.post('/api/auth/passkey/options');
  expect(options.status, JSON.stringify(options.body)).toBe(200);
  return device.post('/api/auth/passkey', { credential: authenticator.assert(options.body.options), ...body });
}
