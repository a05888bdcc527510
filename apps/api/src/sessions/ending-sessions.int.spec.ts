import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../../test/auth-helpers.js';
import { liveSessions, ROUNDS } from '../../test/races.js';
import { clientAt, startTestServices, type TestServices } from '../../test/test-services.js';
import { SignInService } from '../auth/sign-in.service.js';
import type { SessionEndReason } from '../common/errors/error-codes.js';
import type { PresentedRememberToken } from '../remember-me/remember-cookie.js';
import { RememberMeService } from '../remember-me/remember-me.service.js';
import type { PublicUser } from '../users/public-user.js';
import { UsersService } from '../users/users.service.js';
import { hashSessionId } from './session-data.js';
import { SessionsService } from './sessions.service.js';

/**
 * The calls a job or an emailed link makes, with no request anywhere: the services on a real
 * database, sessions started through the sign-in service itself [L-FINAL, U-INVALIDATE, D-REVOKE].
 */
describe('ending sessions without a request', { timeout: 120_000 }, () => {
  let s: TestServices;
  let sessions: SessionsService;
  let signIn: SignInService;
  let rememberMe: RememberMeService;
  const laptop = clientAt('198.51.100.7');
  const phone = clientAt('203.0.113.9', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1');

  beforeAll(async () => {
    s = await startTestServices({ REMEMBER_ME_GRACE: '1' });
    [sessions, signIn, rememberMe] = [s.module.get(SessionsService), s.module.get(SignInService), s.module.get(RememberMeService)];
  });
  afterAll(() => s.close());

  const newUser = () => s.module.get(UsersService).register({ email: `user-${randomBytes(4).toString('hex')}@example.com`, password: PASSWORD, name: 'Test User' });

  /** A device signed in through the service, as the login route does it. */
  async function device(user: PublicUser, { rememberMe: remember = false } = {}) {
    const { session, rememberCookie } = await signIn.startSession(user, laptop, { rememberMe: remember });
    const [selector, validator] = rememberCookie?.value.split('.') ?? [];
    const token: PresentedRememberToken | undefined = selector && validator ? { selector, validator } : undefined;
    return { sid: hashSessionId(session.id), seriesId: session.data.rememberSeriesId, token };
  }

  const liveSids = async (userId: string) =>
    (await s.prisma.session.findMany({ where: { userId, expire: { gt: new Date() } }, select: { sid: true } })).map((row) => row.sid).sort();
  const endReasonOfSeries = async (id: string | undefined) => (await s.prisma.rememberToken.findUniqueOrThrow({ where: { id } })).endReason;
  const liveSeries = (userId: string) => s.prisma.rememberToken.count({ where: { userId, endedAt: null } });
  const generation = async (id: string) => (await s.prisma.user.findUniqueOrThrow({ where: { id }, select: { sessionGeneration: true } })).sessionGeneration;
  const tombstoneOf = async (sid: string): Promise<SessionEndReason | undefined> => (await s.prisma.sessionTombstone.findUnique({ where: { sid } }))?.reason;

  it('endSession ends one session of the user with its remember-me series, and leaves the reason behind', async () => {
    const user = await newUser();
    const [a, b, c] = [await device(user), await device(user, { rememberMe: true }), await device(user)];
    expect(await sessions.endSession(user.id, b.sid, 'revoked')).toEqual({ sessions: 1, series: 1 });
    expect(await liveSids(user.id)).toEqual([a.sid, c.sid].sort());
    expect(await tombstoneOf(b.sid)).toBe('revoked');
    expect(await sessions.endReasonOf(b.sid)).toBe('revoked');
    expect(await endReasonOfSeries(b.seriesId)).toBe('revoked');
    expect(await rememberMe.restore(b.token!, laptop)).toEqual({ kind: 'refused', reason: 'revoked' });
  });

  it("endSession ends nothing of another user's, so a link for one account cannot end another's session", async () => {
    const [owner, stranger] = [await newUser(), await newUser()];
    const session = await device(owner);
    expect(await sessions.endSession(stranger.id, session.sid, 'revoked')).toEqual({ sessions: 0, series: 0 });
    expect(await liveSids(owner.id)).toEqual([session.sid]);
  });

  it("endSession for a timeout keeps the device's remember-me series: that is what it is for", async () => {
    const user = await newUser();
    const remembered = await device(user, { rememberMe: true });
    expect(await sessions.endSession(user.id, remembered.sid, 'idle_timeout')).toEqual({ sessions: 1, series: 0 });
    expect(await liveSeries(user.id)).toBe(1);
  });

  it('endAllBut keeps one session and its series, ends every other session and series, and bumps the generation', async () => {
    const user = await newUser();
    const kept = await device(user, { rememberMe: true });
    const [other, plain] = [await device(user, { rememberMe: true }), await device(user)];
    // A remembered device whose session timed out: listed, and ended with the rest [R-LIFE].
    const idle = await device(user, { rememberMe: true });
    await sessions.endSession(user.id, idle.sid, 'idle_timeout');
    const before = await generation(user.id);

    expect(await sessions.endAllBut(user.id, kept.sid, 'password_changed')).toEqual({ sessions: 2, series: 2 });
    expect(await liveSids(user.id)).toEqual([kept.sid]);
    expect(await endReasonOfSeries(kept.seriesId)).toBeNull();
    for (const ended of [other, plain]) expect(await tombstoneOf(ended.sid)).toBe('password_changed');
    for (const ended of [other, idle]) expect(await endReasonOfSeries(ended.seriesId)).toBe('password_changed');
    expect(await generation(user.id)).toBe(before + 1);
  });

  it('endAllBut a session that has already ended ends nothing: it keeps nothing alive', async () => {
    const user = await newUser();
    const [gone, live] = [await device(user), await device(user)];
    await sessions.endSession(user.id, gone.sid, 'signed_out');
    const before = await generation(user.id);
    await expect(sessions.endAllBut(user.id, gone.sid, 'revoked')).rejects.toMatchObject({ code: 'UNAUTHENTICATED', body: { reason: 'signed_out' } });
    expect(await liveSids(user.id)).toEqual([live.sid]);
    expect(await generation(user.id)).toBe(before);
  });

  it("endEverything ends every session and series of the user, and nobody else's", async () => {
    const [user, neighbour] = [await newUser(), await newUser()];
    const mine = [await device(user), await device(user, { rememberMe: true }), await device(user)];
    const theirs = await device(neighbour, { rememberMe: true });
    const before = await generation(user.id);

    expect(await sessions.endEverything(user.id, 'revoked')).toEqual({ sessions: 3, series: 1 });
    expect(await liveSessions(s, user.id)).toBe(0);
    expect(await liveSeries(user.id)).toBe(0);
    for (const ended of mine) expect(await tombstoneOf(ended.sid)).toBe('revoked');
    expect(await generation(user.id)).toBe(before + 1);
    expect(await liveSids(neighbour.id)).toEqual([theirs.sid]);
    expect(await liveSeries(neighbour.id)).toBe(1);
  });

  it('a sign-in whose password was proved before endEverything stores no session', async () => {
    const user = await newUser();
    const proved = await signIn.verifyPassword(user.email, PASSWORD, phone);
    await sessions.endEverything(user.id, 'password_changed');
    await expect(signIn.startSession(proved.user, phone, { provenGeneration: proved.sessionGeneration })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await liveSessions(s, user.id)).toBe(0);
  });

  it('restores and a sign-in racing endEverything never bring a session back', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const user = await newUser();
      const remembered = await device(user, { rememberMe: true });
      const proved = await signIn.verifyPassword(user.email, PASSWORD, phone);
      const [restores, ended] = await Promise.all([
        Promise.all(Array.from({ length: 5 }, () => rememberMe.restore(remembered.token!, laptop))),
        sessions.endEverything(user.id, 'revoked'),
        signIn.startSession(proved.user, phone, { provenGeneration: proved.sessionGeneration }).catch((error: unknown) => error),
      ]);
      expect(ended.series, `round ${round}`).toBe(1);
      expect(restores.every((r) => r.kind === 'restored' || r.kind === 'refused')).toBe(true);
      // Whatever ran first, nothing is left, and the device is told why next time.
      expect(await liveSessions(s, user.id), `round ${round}`).toBe(0);
      expect(await liveSeries(user.id)).toBe(0);
      expect(await rememberMe.restore(remembered.token!, laptop)).toEqual({ kind: 'refused', reason: 'revoked' });
    }
  });
});
