import type { Response } from 'supertest';
import type { TestApp } from './test-app.js';
import type { TestClient } from './test-client.js';

export const ROUNDS = 10;

/**
 * Makes the device's session look idle for a while, so that each request in flight writes its
 * last-active time back: the writes an end must not be undone by [L-FINAL, L-TOUCH].
 */
export async function ageSessions(t: TestApp, userId: string, byMs = 10 * 60_000): Promise<void> {
  await t.prisma.$executeRaw`
    UPDATE session SET sess = jsonb_set(sess::jsonb, '{lastActiveAt}', to_jsonb((sess->>'lastActiveAt')::bigint - ${byMs}::bigint))::json
    WHERE user_id = ${userId}::uuid`;
}

/** Sends `count` requests from the device at once, without waiting for them. */
export function inFlight(device: TestClient, count: number, path = '/api/auth/me'): Promise<Response[]> {
  return Promise.all(Array.from({ length: count }, () => device.get(path)));
}

/** A copy of the device's cookies (and address and user agent) in a new client: another tab of the same browser. */
export function sameBrowser(t: TestApp, device: TestClient, only?: string[]): TestClient {
  const tab = t.client(device.headers);
  for (const [name, value] of device.cookies) if (!only || only.includes(name)) tab.setCookie(name, value);
  return tab;
}

export async function liveSessions(t: Pick<TestApp, 'prisma'>, userId: string): Promise<number> {
  return t.prisma.session.count({ where: { userId, expire: { gt: new Date() } } });
}

/** Moves the device's last proof of the password 11 minutes back: its step-up window has lapsed. */
export async function lapseStepUp(t: TestApp, device: TestClient): Promise<void> {
  const { id } = (await device.get('/api/auth/me')).body.session as { id: string };
  await t.prisma.$executeRaw`
    UPDATE session SET sess = jsonb_set(sess::jsonb, '{reauthenticatedAt}', to_jsonb((extract(epoch FROM now()) * 1000)::bigint - 660000))::json
    WHERE sid = ${id}`;
}
