import { hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { SessionData } from 'express-session';
import type { Logger } from 'pino';
import type { ClientContext } from '../common/client-context.js';
import type { SessionEndReason } from '../common/errors/error-codes.js';
import { LOGGER } from '../common/logger.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { Prisma, RememberToken } from '../generated/prisma/client.js';
import { deviceDetailsOf } from '../mail/device-details.js';
import { MailService } from '../mail/mail.service.js';
import { rememberMeTheftEmail } from '../mail/templates/security-emails.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { newSessionData } from '../sessions/new-session-data.js';
import { hashSessionId, type NewSession } from '../sessions/session-data.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { isSuspiciousChange } from '../sessions/suspicious-session.js';
import type { PublicUser } from '../users/public-user.js';
import type { PresentedRememberToken } from './remember-cookie.js';
import { matchValidator, randomToken, RETIRED_VALIDATORS_KEPT, sha256, successorsOf } from './remember-token.js';

/** The remember-me cookie's new value, for the edge to set with its lifetime [R-ROTATE, R-LIFE]. */
export type RememberCookie = { value: string; maxAgeSeconds: number };

/**
 * What the edge does with a restore: adopt the session and set the cookie, or clear the cookie
 * (and answer 401 with the reason, when there is one the device should hear).
 */
export type Restore =
  | { kind: 'restored'; user: PublicUser; session: NewSession; cookie: RememberCookie }
  | { kind: 'refused'; reason?: SessionEndReason };

/**
 * Remember-me as split tokens [R-SPLIT]: the selector finds the series (one per device), the
 * validator proves it, and only hashes of validators are stored, compared in constant time.
 */
@Injectable()
export class RememberMeService {
  private readonly successorKey: Buffer;

  constructor(
    private readonly prisma: PrismaService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.successorKey = Buffer.from(hkdfSync('sha256', config.sessionSecret, '', 'sessionkeep remember-me successor', 32));
  }

  /** Starts a series for this device, inside the sign-in's transaction; the edge sets the cookie. */
  async issue(tx: Prisma.TransactionClient, userId: string, client: ClientContext): Promise<{ seriesId: string; cookie: RememberCookie }> {
    const selector = randomToken(16);
    const validator = randomToken(32);
    const now = Date.now();
    const { network, browser } = client.fingerprint;
    const series = await tx.rememberToken.create({
      data: {
        userId,
        selector,
        validatorHash: sha256(validator),
        expiresAt: new Date(now + this.config.rememberMe.ttl * 1000),
        maxExpiresAt: new Date(now + this.config.rememberMe.maxLifetime * 1000),
        fingerprintNetwork: network,
        fingerprintBrowser: browser,
        ip: client.ip,
        userAgent: client.userAgent,
      },
      select: { id: true },
    });
    return { seriesId: series.id, cookie: { value: `${selector}.${validator}`, maxAgeSeconds: this.config.rememberMe.ttl } };
  }

  /**
   * [R-ONE] A sign-in on a browser that holds someone's remember-me cookie ends that series and
   * clears the cookie (the edge does that), so a shared browser never falls back to the previous person.
   */
  async revokePresented(presented: PresentedRememberToken): Promise<void> {
    const found = await this.prisma.rememberToken.findUnique({ where: { selector: presented.selector }, select: { userId: true } });
    if (!found) return;
    await this.prisma.$transaction(async (tx) => {
      await this.sessions.lockUser(tx, found.userId);
      const series = await tx.rememberToken.findUnique({ where: { selector: presented.selector } });
      if (series && !series.endedAt && matchValidator(series, presented.validator) !== 'unknown') {
        await this.sessions.endSeries(tx, series.id, 'signed_out');
      }
    });
  }

  /**
   * Signs a remembered device in: a new session (never "fresh" [U-REMEMBERED]) and a new validator
   * in the same series [R-ROTATE]. One transaction under the user's row lock, which every change to
   * the user's sessions and series also takes: a restore and a password change or revoke-others
   * happen one after the other, so no restore outlives them [L-FINAL]. `presented` is the cookie's
   * token; the edge adopts the session and sets the new cookie, or clears it when refused.
   */
  async restore(presented: PresentedRememberToken, client: ClientContext): Promise<Restore> {
    // The grace window is judged by when the request arrived, not by when it got the user's lock:
    // tabs of one browser queue on that lock, and a slow queue must not look like a replay.
    const arrivedAt = Date.now();
    const found = await this.prisma.rememberToken.findUnique({ where: { selector: presented.selector }, select: { userId: true } });
    if (!found) return { kind: 'refused' };
    return this.prisma.$transaction((tx) => this.restoreLocked(tx, found.userId, presented, client, arrivedAt));
  }

  private async restoreLocked(
    tx: Prisma.TransactionClient,
    userId: string,
    presented: PresentedRememberToken,
    client: ClientContext,
    arrivedAt: number,
  ): Promise<Restore> {
    const user = await this.sessions.lockUser(tx, userId);
    const series = await tx.rememberToken.findUnique({ where: { selector: presented.selector } });
    if (!user || !series) return { kind: 'refused' };
    // An ended series stays until it would have expired, so that any replay learns why [R-THEFT].
    if (series.endedAt) return { kind: 'refused', reason: series.endReason ?? undefined };
    const now = Date.now();
    // Past its absolute end the device is told so, like a session past its absolute timeout [R-LIFE].
    if (series.maxExpiresAt.getTime() <= now) return { kind: 'refused', reason: 'absolute_timeout' };
    if (series.expiresAt.getTime() <= now) return { kind: 'refused', reason: 'idle_timeout' };

    const match = matchValidator(series, presented.validator);
    if (match === 'unknown') return { kind: 'refused' };
    const inGrace = arrivedAt - (series.rotatedAt?.getTime() ?? 0) < this.config.rememberMe.grace * 1000;
    if (match === 'retired' || (match === 'previous' && !inGrace)) {
      // A validator that was already replaced, outside the grace window: the cookie was copied.
      await this.sessions.endSeries(tx, series.id, 'theft');
      await this.events.record('remember_me_theft', userId, client, undefined, { tx });
      await this.mail.enqueue(tx, user.email, rememberMeTheftEmail({ appUrl: this.config.mail.appUrl, device: deviceDetailsOf(client, this.config) }));
      return { kind: 'refused', reason: 'theft' };
    }
    if (this.refusesFingerprint(series, client)) {
      await this.sessions.endSeries(tx, series.id, 'suspicious');
      await this.events.record('suspicious_session_ended', userId, client, undefined, { tx });
      return { kind: 'refused', reason: 'suspicious' };
    }

    const maxAgeSeconds = Math.max(1, Math.floor((Math.min(now + this.config.rememberMe.ttl * 1000, series.maxExpiresAt.getTime()) - now) / 1000));
    if (match === 'previous') {
      // A tab that raced the rotation derives the winner's validator and session ID and joins that
      // session, if it is still there under that ID: ended or moved on (a step-up rotates it), the
      // old ID stays dead. Replaced twice within the grace window, the validator is no use at all.
      const next = successorsOf(this.successorKey, series.rotationNonce ?? '', presented.validator);
      const started = await tx.session.findUnique({ where: { sid: hashSessionId(next.sessionId) }, select: { sess: true } });
      if (series.validatorHash !== sha256(next.validator) || !started) return { kind: 'refused' };
      const session = { id: next.sessionId, data: started.sess as unknown as SessionData };
      return { kind: 'restored', user, session, cookie: { value: `${presented.selector}.${next.validator}`, maxAgeSeconds } };
    }

    const next = await this.rotate(tx, series, presented.validator, client);
    // One series, one session [R-ONE]: the device's earlier session gives way to this one.
    await this.sessions.endSeriesSessions(tx, series.id);
    const data = newSessionData(client, user, this.config, { rememberSeriesId: series.id, restored: true });
    const evicted = await this.sessions.insertAt(tx, next.sessionId, data);
    await this.events.record('remember_me_used', user.id, client, undefined, { tx });
    if (evicted > 0) await this.events.record('session_limit_evicted', user.id, client, { evicted }, { tx });
    const session = { id: next.sessionId, data };
    return { kind: 'restored', user, session, cookie: { value: `${presented.selector}.${next.validator}`, maxAgeSeconds } };
  }

  /** A compare-and-swap is not needed: the user's row lock makes this the only rotation in flight. */
  private async rotate(tx: Prisma.TransactionClient, series: RememberToken, validator: string, client: ClientContext) {
    const nonce = randomToken(16);
    const next = successorsOf(this.successorKey, nonce, validator);
    const now = Date.now();
    const retired = series.previousValidatorHash ? [...series.retiredValidatorHashes, series.previousValidatorHash] : series.retiredValidatorHashes;
    await tx.rememberToken.update({
      where: { id: series.id },
      data: {
        validatorHash: sha256(next.validator),
        previousValidatorHash: series.validatorHash,
        retiredValidatorHashes: retired.slice(-RETIRED_VALIDATORS_KEPT),
        rotationNonce: nonce,
        rotatedAt: new Date(now),
        // Slides with use, never past the series' absolute end [R-LIFE].
        expiresAt: new Date(Math.min(now + this.config.rememberMe.ttl * 1000, series.maxExpiresAt.getTime())),
        lastUsedAt: new Date(now),
        ip: client.ip,
        userAgent: client.userAgent,
      },
    });
    return next;
  }

  /** [A-SUSPECT] The same check a live session faces, against the device that signed in. */
  private refusesFingerprint(series: RememberToken, client: ClientContext): boolean {
    const policy = this.config.session.suspiciousPolicy;
    const signedInFrom = { network: series.fingerprintNetwork, browser: series.fingerprintBrowser };
    if (policy === 'off' || !isSuspiciousChange(signedInFrom, client.fingerprint)) return false;
    if (policy === 'strict') return true;
    this.logger.warn({ securityWarning: 'suspicious_restore', userId: series.userId, signedInFrom, now: { ...client.fingerprint } }, 'remember-me used from a new network and browser');
    return false;
  }
}
