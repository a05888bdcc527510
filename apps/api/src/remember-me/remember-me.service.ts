import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { RememberToken } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { clearRememberCookie, readRememberCookie, setRememberCookie } from './remember-cookie.js';

export interface RememberedDevice {
  userId: string;
  seriesId: string;
}

const random = (bytes: number) => randomBytes(bytes).toString('base64url');
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const sameHash = (a: string | null, b: string) => a !== null && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Remember-me as split tokens [R-SPLIT]: the selector finds the series, the validator proves it,
 * and only the validator's SHA-256 is stored, compared in constant time.
 */
@Injectable()
export class RememberMeService {
  private readonly successorKey: Buffer;

  constructor(
    private readonly prisma: PrismaService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.successorKey = Buffer.from(hkdfSync('sha256', config.sessionSecret, '', 'sessionkeep remember-me successor', 32));
  }

  /** Starts a series for this device and sets its cookie. */
  async issue(userId: string, res: Response): Promise<string> {
    const selector = random(16);
    const validator = random(32);
    const series = await this.prisma.rememberToken.create({
      data: { userId, selector, validatorHash: sha256(validator), expiresAt: this.expiry() },
      select: { id: true },
    });
    setRememberCookie(res, `${selector}.${validator}`, this.config.rememberMe.ttl);
    return series.id;
  }

  /**
   * Turns a valid remember cookie into its device, with a new validator in the same series
   * [R-ROTATE]. A bad, expired or unknown cookie is cleared; a replayed old validator is theft.
   */
  async use(req: Request, res: Response): Promise<RememberedDevice | null> {
    const presented = readRememberCookie(req);
    if (!presented) return null;
    let series = await this.prisma.rememberToken.findUnique({ where: { selector: presented.selector } });
    if (!series || series.expiresAt <= new Date()) return this.forget(res);
    const hash = sha256(presented.validator);
    if (sameHash(series.validatorHash, hash)) {
      const successor = await this.rotate(series, presented.validator);
      if (successor) return this.remembered(series, presented.selector, successor, res);
      // A parallel request rotated it first: fall through to the grace window with the new row.
      series = await this.prisma.rememberToken.findUnique({ where: { id: series.id } });
      if (!series) return this.forget(res);
    }
    if (sameHash(series.previousValidatorHash, hash)) return this.usePrevious(series, presented, res, req);
    return this.forget(res);
  }

  /**
   * A compare-and-swap on the stored hash: of many requests racing on one validator, exactly one
   * rotates it. The successor is derived from fresh random bytes and the old validator, so the
   * losers can re-derive the same successor without it ever being stored.
   */
  private async rotate(series: RememberToken, validator: string): Promise<string | null> {
    const nonce = random(16);
    const successor = this.successor(nonce, validator);
    const { count } = await this.prisma.rememberToken.updateMany({
      where: { id: series.id, validatorHash: series.validatorHash },
      data: { validatorHash: sha256(successor), previousValidatorHash: series.validatorHash, rotationNonce: nonce, rotatedAt: new Date(), expiresAt: this.expiry() },
    });
    return count === 1 ? successor : null;
  }

  /**
   * The just-replaced validator: within REMEMBER_ME_GRACE of the rotation (fixed, never sliding)
   * it is a parallel tab and gets the same successor; after it, the old validator was copied [R-THEFT].
   */
  private async usePrevious(series: RememberToken, presented: { selector: string; validator: string }, res: Response, req: Request) {
    const sinceRotation = Date.now() - (series.rotatedAt?.getTime() ?? 0);
    if (sinceRotation >= this.config.rememberMe.grace * 1000) return this.theft(series, req, res);
    const successor = this.successor(series.rotationNonce ?? '', presented.validator);
    if (!sameHash(series.validatorHash, sha256(successor))) return this.forget(res); // rotated again since
    return this.remembered(series, presented.selector, successor, res);
  }

  private async theft(series: RememberToken, req: Request, res: Response): Promise<never> {
    await this.prisma.$transaction(async (tx) => {
      await tx.rememberToken.delete({ where: { id: series.id } });
      await this.sessions.endSeries(series.id, 'theft', tx);
    });
    await this.events.record('remember_me_theft', series.userId, req, { seriesId: series.id });
    clearRememberCookie(res);
    throw new AppError('UNAUTHENTICATED', { reason: 'theft' });
  }

  /** Forgets a series whose account is gone. */
  async revoke(seriesId: string, res: Response): Promise<void> {
    clearRememberCookie(res);
    await this.prisma.rememberToken.deleteMany({ where: { id: seriesId } });
  }

  private remembered(series: RememberToken, selector: string, validator: string, res: Response): RememberedDevice {
    setRememberCookie(res, `${selector}.${validator}`, this.config.rememberMe.ttl);
    return { userId: series.userId, seriesId: series.id };
  }

  private forget(res: Response): null {
    clearRememberCookie(res);
    return null;
  }

  private successor(nonce: string, validator: string): string {
    return createHmac('sha256', this.successorKey).update(`${nonce}.${validator}`).digest('base64url');
  }

  private expiry(): Date {
    return new Date(Date.now() + this.config.rememberMe.ttl * 1000);
  }
}
