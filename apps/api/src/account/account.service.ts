import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { refuseWhenSpent } from '../common/rate-limit.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { newCsrfToken } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { assertAcceptablePassword } from '../users/password-policy.js';
import { PasswordHasher } from '../users/password-hasher.service.js';
import { PUBLIC_USER_FIELDS, type PublicUser } from '../users/public-user.js';
import { rethrowEmailTaken } from '../users/users.service.js';

const EMAIL_CHANGES_PER_HOUR = 5;

@Injectable()
export class AccountService {
  private readonly emailChanges: RateLimiterPostgres;

  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
  ) {
    this.emailChanges = new RateLimiterPostgres({
      storeClient: prisma.pool,
      storeType: 'pool',
      tableName: 'login_throttle',
      tableCreated: true,
      keyPrefix: 'email-change',
      points: EMAIL_CHANGES_PER_HOUR,
      duration: 3600,
    });
  }

  /**
   * [U-INVALIDATE] Whoever else holds a session of this user (perhaps the reason for the change)
   * is signed out, with `reason: password_changed`; this device continues under a new ID.
   */
  async changePassword(req: Request, newPassword: string): Promise<void> {
    const user = req.user!;
    assertAcceptablePassword(newPassword, user.email, 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.prisma.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: new Date() } });
      await this.sessions.endAllOf(user.id, 'password_changed', { except: req, tx });
    });
    // This device's ID was moved by a parallel request; the password is changed all the same.
    await this.sessions.rotateId(req, { csrfToken: newCsrfToken() });
    await this.events.record('password_changed', user.id, req);
  }

  /**
   * A few changes an hour per account: each one tells whether an address has an account
   * (EMAIL_TAKEN), so unlimited changes would be an oracle that sign-in and sign-up refuse to be.
   */
  async changeEmail(req: Request, email: string): Promise<PublicUser> {
    const previous = req.user!.email;
    await refuseWhenSpent(this.emailChanges.consume(req.user!.id));
    const user = await this.prisma
      .$transaction(async (tx) => {
        const changed = await tx.user.update({ where: { id: req.user!.id }, data: { email }, select: PUBLIC_USER_FIELDS });
        await this.sessions.assertStillSignedIn(tx, req);
        return changed;
      })
      .catch(rethrowEmailTaken);
    await this.events.record('email_changed', user.id, req, { previous });
    return user;
  }

  /** Deletes the user with their sessions, tokens and events; other devices learn `revoked`. */
  async deleteAccount(req: Request, res: Response): Promise<void> {
    const userId = req.user!.id;
    await this.prisma.$transaction(async (tx) => {
      await this.sessions.lockUser(tx, userId);
      await this.sessions.assertStillSignedIn(tx, req);
      await this.sessions.endAllOf(userId, 'revoked', { tx });
      await tx.user.delete({ where: { id: userId } });
    });
    this.sessions.forgetThisDevice(req, res);
  }
}
