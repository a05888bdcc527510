import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SessionData } from 'express-session';
import { Client } from '../auth/client.decorator.js';
import { CurrentSession } from '../auth/current-session.decorator.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { ClientContext } from '../common/client-context.js';
import { AppError } from '../common/errors/error-codes.js';
import { describeUserAgent } from '../common/user-agent.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { RequiresRecentAuth } from '../step-up/requires-recent-auth.decorator.js';
import type { PublicUser } from '../users/public-user.js';
import { isoTime as iso, type SignedInSession } from './session-data.js';
import { forgetThisDevice } from './session-lifecycle.js';
import { SessionsService } from './sessions.service.js';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { DeviceListDto, RevokedCountDto } from './dto/device.dto.js';
import { EndsSessions } from './ends-sessions.decorator.js';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
  ) {}

  /**
   * [D-LIST, R-LIFE] Every live session of the user, found through the user_id index, and every
   * remembered device that has no live session now (it signs back in on its next visit), newest
   * activity first.
   */
  @Get()
  @ApiOkResponse({ type: DeviceListDto })
  async list(@CurrentUser() user: PublicUser, @CurrentSession() session: SignedInSession) {
    const now = new Date();
    const [rows, series] = await Promise.all([
      this.prisma.session.findMany({ where: { userId: user.id, expire: { gt: now } }, select: { sid: true, sess: true, rememberSeriesId: true } }),
      this.prisma.rememberToken.findMany({ where: { userId: user.id, endedAt: null, expiresAt: { gt: now }, maxExpiresAt: { gt: now } } }),
    ]);
    const current = session.sid;
    const expiresAtOf = new Map(series.map((s) => [s.id, iso(Math.min(s.expiresAt.getTime(), s.maxExpiresAt.getTime()))]));
    const live = rows.map(({ sid, sess, rememberSeriesId }) => {
      const data = sess as unknown as SessionData;
      return {
        id: sid,
        current: sid === current,
        active: true,
        ...describeUserAgent(data.userAgent),
        ip: data.ip ?? null,
        location: data.location ?? null,
        createdAt: iso(data.authenticatedAt),
        lastActiveAt: iso(data.lastActiveAt),
        remembered: data.remembered ?? false,
        rememberedUntil: rememberSeriesId ? (expiresAtOf.get(rememberSeriesId) ?? null) : null,
        signInMethod: data.signInMethod ?? null,
      };
    });
    const withSession = new Set(rows.map((row) => row.rememberSeriesId));
    const idle = series
      .filter((s) => !withSession.has(s.id))
      .map((s) => ({
        id: s.id,
        current: false,
        active: false,
        ...describeUserAgent(s.userAgent),
        ip: s.ip,
        location: null,
        createdAt: iso(s.createdAt.getTime()),
        lastActiveAt: iso(s.lastUsedAt.getTime()),
        remembered: true,
        rememberedUntil: expiresAtOf.get(s.id) ?? null,
        signInMethod: null,
      }));
    return { sessions: [...live, ...idle].sort((a, b) => (b.lastActiveAt ?? '').localeCompare(a.lastActiveAt ?? '')) };
  }

  /**
   * [D-REVOKE] Only the caller's own sessions and remembered devices: anyone else's is a 404, as
   * if it did not exist.
   */
  @RequiresRecentAuth()
  @EndsSessions()
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session or remembered device has ended.' })
  @ApiErrors('NOT_FOUND')
  async revoke(
    @CurrentUser() user: PublicUser,
    @Param('id') id: string,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    // The end and its event commit together: no revoke the timeline does not show.
    const { ended, endedActing } = await this.prisma.$transaction(async (tx) => {
      const result = await this.sessions.revoke(user.id, id, session.sid, { tx });
      if (result.ended) await this.events.record('session_revoked', user.id, client, { sessions: 1 }, { tx });
      return result;
    });
    if (!ended) throw new AppError('NOT_FOUND', { message: 'No such session.' });
    // Revoking this very session (by any of its IDs, or its series) signs this device out, as logout does.
    if (endedActing) forgetThisDevice(req, res);
  }

  /** [D-REVOKE] "Log out other devices": every other session and remember-me series ends. */
  @EndsSessions()
  @RequiresRecentAuth()
  @Post('revoke-others')
  @HttpCode(200)
  @ApiOkResponse({ type: RevokedCountDto })
  async revokeOthers(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
  ): Promise<{ revoked: number }> {
    return this.prisma.$transaction(async (tx) => {
      const { sessions: revoked } = await this.sessions.endAllBut(user.id, session.sid, 'revoked', { tx });
      await this.events.record('session_revoked', user.id, client, { sessions: revoked, others: true }, { tx });
      return { revoked };
    });
  }
}
