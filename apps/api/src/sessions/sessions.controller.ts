import { Controller, Delete, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '../common/errors/error-codes.js';
import { describeUserAgent } from '../common/user-agent.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { RequiresRecentAuth } from '../step-up/requires-recent-auth.decorator.js';
import type { SessionData } from 'express-session';
import { hashSessionId, isoTime as iso } from './session-data.js';
import { SessionsService } from './sessions.service.js';

@Controller('sessions')
export class SessionsController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
  ) {}

  /** [D-LIST] Every live session of the user, found through the user_id index, newest activity first. */
  @Get()
  async list(@Req() req: Request) {
    const rows = await this.prisma.session.findMany({
      where: { userId: req.user!.id, expire: { gt: new Date() } },
      select: { sid: true, sess: true },
    });
    const current = hashSessionId(req.sessionID);
    const sessions = rows.map(({ sid, sess }) => {
      const data = sess as unknown as SessionData;
      return {
        id: sid,
        current: sid === current,
        ...describeUserAgent(data.userAgent),
        ip: data.ip ?? null,
        location: data.location ?? null,
        createdAt: iso(data.authenticatedAt),
        lastActiveAt: iso(data.lastActiveAt),
        remembered: data.remembered ?? false,
      };
    });
    return { sessions: sessions.sort((a, b) => (b.lastActiveAt ?? '').localeCompare(a.lastActiveAt ?? '')) };
  }

  /** [D-REVOKE] Only the caller's own sessions: anyone else's is a 404, as if it did not exist. */
  @RequiresRecentAuth()
  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const ended = await this.sessions.revoke(req.user!.id, id, req, res);
    if (!ended) throw new AppError('NOT_FOUND', { message: 'No such session.' });
    await this.events.record('session_revoked', req.user!.id, req, { sessions: 1 });
  }

  /** [D-REVOKE] "Log out other devices": every other session and remember-me series ends. */
  @RequiresRecentAuth()
  @Post('revoke-others')
  @HttpCode(200)
  async revokeOthers(@Req() req: Request): Promise<{ revoked: number }> {
    const revoked = await this.sessions.endAllOf(req.user!.id, 'revoked', { except: req });
    await this.events.record('session_revoked', req.user!.id, req, { sessions: revoked, others: true });
    return { revoked };
  }
}
