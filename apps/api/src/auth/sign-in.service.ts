import { Inject, Injectable } from '@nestjs/common';
import type { ClientContext } from '../common/client-context.js';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { PresentedRememberToken } from '../remember-me/remember-cookie.js';
import { type RememberCookie, RememberMeService } from '../remember-me/remember-me.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { deviceOf, NewDeviceAlerts } from '../new-device-alerts/new-device-alerts.service.js';
import { newSessionData } from '../sessions/new-session-data.js';
import { hashSessionId, type NewSession, type SignedInSession, type SignInMethod } from '../sessions/session-data.js';
import { newSessionId } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import { normalizeEmail, PUBLIC_USER_FIELDS, type PublicUser } from '../users/public-user.js';
import { LoginThrottle } from './login-throttle.service.js';

/** A proved password: the user, the session generation it was proved against, a device cookie to set. */
export interface ProvedPassword {
  user: PublicUser;
  sessionGeneration: number;
  /** Set when this browser just became a known device of the account [A-BRUTE]. */
  deviceCookie?: string;
}

export interface SessionStart {
  rememberMe?: boolean;
  /** The generation verifyPassword() proved; unset for a sign-up, which proved nothing. */
  provenGeneration?: number;
  /** The remember-me token the browser sent, if any: it is revoked [R-ONE]. */
  presentedRemember?: PresentedRememberToken | null;
  /** The session the browser was signed in with, if any: it ends. */
  replacing?: SignedInSession;
  /** How the user proved who they are, shown on the devices page. */
  method?: SignInMethod;
}

/** The two steps of signing in: prove the password, then start a session that no one else knows. */
@Injectable()
export class SignInService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly events: SecurityEventsService,
    private readonly sessions: SessionsService,
    private readonly rememberMe: RememberMeService,
    private readonly alerts: NewDeviceAlerts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Unknown email and wrong password cost the same time and get the same answer, so neither
   * timing nor body reveals which emails have accounts [A-BRUTE]. The attempt is counted before
   * the password is checked [A-RACE]. Returns which session generation the password was proved
   * against, for startSession() [L-FINAL].
   */
  async verifyPassword(emailInput: string, password: string, client: ClientContext, presentedDevice?: string): Promise<ProvedPassword> {
    const email = normalizeEmail(emailInput);
    const account = await this.prisma.user.findUnique({
      where: { email },
      select: { ...PUBLIC_USER_FIELDS, passwordHash: true, sessionGeneration: true },
    });
    const attempt = await this.throttle.begin(email, client, account, presentedDevice);
    const valid = account ? await this.hasher.verify(account.passwordHash, password) : await this.hasher.verifyNothing(password);
    if (!account || !valid) {
      // Only an existing account stores the event; not waiting for it keeps both answers equally fast.
      this.events.recordInBackground('sign_in_failed', account?.id, client);
      throw new AppError('INVALID_CREDENTIALS');
    }
    await this.throttle.succeeded(attempt);
    // Known to the throttle from now on, so guesses elsewhere never lock this browser out [A-BRUTE].
    const deviceCookie = attempt.device ? undefined : this.throttle.devices.issue(account);
    if (attempt.device && (await this.throttle.accountLimited(attempt.accountKey))) {
      this.events.recordInBackground('sign_in', account.id, client, { knownDeviceDuringLockout: true });
    }
    const { passwordHash, sessionGeneration, ...user } = account;
    if (this.hasher.needsRehash(passwordHash)) {
      await this.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await this.hasher.hash(password) } });
    }
    return { user, sessionGeneration, deviceCookie };
  }

  /**
   * A new session under a new ID: the browser's earlier ID (and anything planted) is dead
   * [S-FIXATION]. Any remember-me token the browser sent is revoked first [R-ONE]; with
   * `rememberMe` a new series starts. The row is written once, in a transaction that holds the
   * user's lock and checks that nothing ended the user's sessions since the password was proved.
   * The edge adopts the session and sets the remember-me cookie.
   */
  async startSession(
    user: PublicUser,
    client: ClientContext,
    { rememberMe = false, provenGeneration, presentedRemember, replacing, method = 'password' }: SessionStart = {},
  ): Promise<{ session: NewSession; rememberCookie?: RememberCookie }> {
    if (presentedRemember) await this.rememberMe.revokePresented(presentedRemember);
    if (replacing) await this.sessions.endSession(replacing.data.userId, replacing.sid, 'signed_out');
    const id = newSessionId();
    const started = await this.prisma.$transaction(async (tx) => {
      const locked = await this.sessions.lockUser(tx, user.id);
      if (!locked || (provenGeneration !== undefined && locked.sessionGeneration !== provenGeneration)) return null;
      const series = rememberMe ? await this.rememberMe.issue(tx, user.id, client) : undefined;
      const data = newSessionData(client, locked, this.config, { rememberSeriesId: series?.seriesId, method });
      const evicted = await this.sessions.insertAt(tx, id, data);
      // A password sign-in from a device not seen lately is emailed about [E-NOTIFY]; a sign-up is not.
      // Asked before this sign-in's own event is stored, which would make the device look known.
      if (provenGeneration !== undefined) await this.alerts.alertIfNew(tx, user, client, hashSessionId(id));
      await this.events.record('sign_in', user.id, client, { method }, { tx, device: deviceOf(client) });
      if (evicted > 0) await this.events.record('session_limit_evicted', user.id, client, { evicted }, { tx });
      return { data, series };
    });
    // Every session of the user ended while this sign-in was in flight: it ends too [L-FINAL].
    if (!started) throw new AppError('UNAUTHENTICATED', { reason: 'revoked' });
    return { session: { id, data: started.data }, rememberCookie: started.series?.cookie };
  }
}
