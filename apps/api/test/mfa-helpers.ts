import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';
import type { TestApp } from './test-app.js';
import type { TestClient } from './test-client.js';

/** The code an authenticator app shows for `secret`, `steps` periods from now. */
export function totpCode(secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + steps * 30_000 });
}

/** As if a new 30-second step had begun: the code last used becomes usable again only here, in tests. */
export async function nextTimeStep(t: TestApp, userId: string): Promise<void> {
  await t.prisma.$executeRaw`UPDATE totp_factors SET last_used_step = last_used_step - 2 WHERE user_id = ${userId}::uuid`;
}

/** Turns the authenticator app on for a signed-in, freshly authenticated device, through the real routes. */
export async function enrolTotp(t: TestApp, device: TestClient, userId: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const started = await device.post('/api/account/mfa/totp');
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const { secret } = started.body as { secret: string };
  const confirmed = await device.post('/api/account/mfa/totp/confirm', { code: totpCode(secret) });
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  await nextTimeStep(t, userId);
  return { secret, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}
