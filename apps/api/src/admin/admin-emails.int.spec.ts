import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, PASSWORD, signIn } from '../../test/auth-helpers.js';
import { mailTo, tokenIn } from '../../test/mail-links.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';

const VERIFY_SUBJECT = 'Confirm your email address';
const LISTED = ['boss@example.com', 'chief@example.com', 'head@example.com', 'racer@example.com'];

/** [A-ADMIN] ADMIN_EMAILS: an address becomes admin only once its owner has used a link sent to it. */
describe('ADMIN_EMAILS on a verified address [A-ADMIN]', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ADMIN_EMAILS: LISTED.join(', ') });
  });
  afterAll(() => t.close());

  const roleOf = async (email: string) => (await t.prisma.user.findUniqueOrThrow({ where: { email } })).role;
  const grants = (userId: string) => t.prisma.securityEvent.findMany({ where: { userId, type: 'role_changed' } });

  it('signing up with a listed address is not enough; its verification link makes the account admin, recorded, once', async () => {
    // Attack: sign up with the boss's address and hope the list is read at sign-up.
    const device = t.client();
    expect((await device.post('/api/auth/register', { email: 'Boss@Example.com', password: PASSWORD, name: 'Boss' })).body.user.role).toBe('user');
    expect((await device.get('/api/admin/users')).status).toBe(403);
    expect(await roleOf('boss@example.com')).toBe('user');

    const [mail] = await mailTo(t.inboxUrl!, 'boss@example.com', VERIFY_SUBJECT);
    const verified = await t.client().post('/api/auth/verify-email', { token: tokenIn(mail!) });
    expect(verified.body.user).toMatchObject({ email: 'boss@example.com', emailVerified: true, role: 'admin' });
    expect((await device.get('/api/admin/users')).status).toBe(200);
    const user = await t.prisma.user.findUniqueOrThrow({ where: { email: 'boss@example.com' } });
    expect((await grants(user.id)).map((event) => [event.details, event.adminFeed])).toEqual([[{ role: 'admin', by: 'ADMIN_EMAILS' }, true]]);
  });

  it('a forged token, and the used link clicked again after a demotion, grant nothing', async () => {
    const device = t.client();
    await device.post('/api/auth/register', { email: 'chief@example.com', password: PASSWORD, name: 'Chief' });
    const [mail] = await mailTo(t.inboxUrl!, 'chief@example.com', VERIFY_SUBJECT);
    const token = tokenIn(mail!);
    // Attack: a link of the right shape whose validator was guessed.
    const forged = `${token.split('.')[0]}.${'A'.repeat(43)}`;
    expect((await t.client().post('/api/auth/verify-email', { token: forged })).body.code).toBe('LINK_INVALID');
    expect(await roleOf('chief@example.com')).toBe('user');

    expect((await t.client().post('/api/auth/verify-email', { token })).body.user.role).toBe('admin');
    const user = await t.prisma.user.update({ where: { email: 'chief@example.com' }, data: { role: 'user' } });
    // Attack: replaying the old link (from the mailbox, a log, the history) to win the role back.
    expect((await t.client().post('/api/auth/verify-email', { token })).body.code).toBe('LINK_INVALID');
    expect(await roleOf('chief@example.com')).toBe('user');
    expect(await grants(user.id)).toHaveLength(1);
  });

  it('an email change to a listed address grants nothing until the new address’s link is used, and the old address’s notice carries no link that could', async () => {
    // Attack: an ordinary user changes their address to the boss's and never gets its mail.
    const user = await createUser(t, { email: 'climber@example.com' });
    const device = await signIn(t.client(), user);
    expect((await device.patch('/api/account/email', { email: 'head@example.com' })).status).toBe(200);
    const [notice] = await mailTo(t.inboxUrl!, 'climber@example.com', 'Your email address is being changed');
    expect(() => tokenIn(notice!)).toThrow(/no token link/);
    expect((await device.get('/api/auth/me')).body.user).toMatchObject({ email: 'climber@example.com', role: 'user' });
    expect((await device.get('/api/admin/users')).status).toBe(403);
    expect(await grants(user.id)).toHaveLength(0);

    const [link] = await mailTo(t.inboxUrl!, 'head@example.com', VERIFY_SUBJECT);
    expect((await t.client().post('/api/auth/verify-email', { token: tokenIn(link!) })).body.user).toMatchObject({ email: 'head@example.com', role: 'admin' });
    expect((await device.get('/api/admin/users')).status).toBe(200);
  });

  it('never grants an unlisted address on verification', async () => {
    const device = t.client();
    await device.post('/api/auth/register', { email: 'nobody-special@example.com', password: PASSWORD, name: 'N' });
    const [mail] = await mailTo(t.inboxUrl!, 'nobody-special@example.com', VERIFY_SUBJECT);
    expect((await t.client().post('/api/auth/verify-email', { token: tokenIn(mail!) })).body.user).toMatchObject({ emailVerified: true, role: 'user' });
  });

  it('parallel clicks of one link promote once: one 200, one role_changed event [A-RACE]', async () => {
    await t.client().post('/api/auth/register', { email: 'racer@example.com', password: PASSWORD, name: 'Racer' });
    const [mail] = await mailTo(t.inboxUrl!, 'racer@example.com', VERIFY_SUBJECT);
    const token = tokenIn(mail!);
    const answers = await Promise.all(Array.from({ length: 10 }, () => t.client().post('/api/auth/verify-email', { token })));
    expect(answers.map((res) => res.status).sort()).toEqual([200, ...Array<number>(9).fill(400)]);
    const user = await t.prisma.user.findUniqueOrThrow({ where: { email: 'racer@example.com' } });
    expect(user.role).toBe('admin');
    expect(await grants(user.id)).toHaveLength(1);
  });
});
