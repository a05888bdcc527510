import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { Role } from '../src/generated/prisma/enums.js';
import { PasswordHasher } from '../src/users/password-hasher.service.js';
import type { TestApp } from './test-app.js';
import type { TestClient } from './test-client.js';

export const PASSWORD = 'correct horse battery staple';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

/** A user straight in the database (each test file has its own, so emails only need to differ within a file). */
export async function createUser(t: TestApp, fields: Partial<Omit<TestUser, 'id'>> = {}): Promise<TestUser> {
  const password = fields.password ?? PASSWORD;
  const user = await t.prisma.user.create({
    data: {
      email: fields.email ?? `user-${randomBytes(4).toString('hex')}@example.com`,
      name: fields.name ?? 'Test User',
      role: fields.role ?? 'user',
      passwordHash: await t.app.get(PasswordHasher).hash(password),
    },
    select: { id: true, email: true, name: true, role: true },
  });
  return { ...user, password };
}

/** Signs a device in through the real login route, CSRF and all. */
export async function signIn(client: TestClient, user: Pick<TestUser, 'email' | 'password'>, body: { rememberMe?: boolean } = {}): Promise<TestClient> {
  const res = await client.post('/api/auth/login', { email: user.email, password: user.password, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return client;
}

/** Failed sign-ins store their event in the background (equal timing); wait for it before ordering by time. */
export async function eventStored(t: TestApp, userId: string, type: 'sign_in_failed'): Promise<void> {
  for (let tries = 0; tries < 50; tries++) {
    if ((await t.prisma.securityEvent.count({ where: { userId, type } })) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no ${type} event was stored for ${userId}`);
}
