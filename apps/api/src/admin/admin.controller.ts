import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/errors/error-codes.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { RequiresRecentAuth } from '../step-up/requires-recent-auth.decorator.js';
import { PUBLIC_USER_FIELDS, type PublicUser } from '../users/public-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { Client } from '../auth/client.decorator.js';
import { CurrentSession } from '../auth/current-session.decorator.js';
import type { ClientContext } from '../common/client-context.js';
import type { SignedInSession } from '../sessions/session-data.js';
import { detachSession } from '../sessions/session-lifecycle.js';
import { AdminOnly } from './admin.guard.js';
import { ChangeRoleDto } from './dto/change-role.dto.js';
import { changeRole } from './role-change.js';
import { ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { UserResponseDto } from '../users/dto/public-user.dto.js';
import { AdminUserListDto } from './dto/admin-users.dto.js';
import { RevokedCountDto } from '../sessions/dto/device.dto.js';
import { EndsSessions } from '../sessions/ends-sessions.decorator.js';

const UserId = () => Param('id', new ParseUUIDPipe({ version: '4' }));

@AdminOnly()
@ApiTags('admin')
@Controller('admin/users')
export class AdminController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
  ) {}

  @Get()
  @ApiOkResponse({ type: AdminUserListDto })
  async list() {
    const users = await this.prisma.user.findMany({
      orderBy: { createdAt: 'asc' },
      select: { ...PUBLIC_USER_FIELDS, _count: { select: { sessions: { where: { expire: { gt: new Date() } } } } } },
    });
    return { users: users.map(({ _count, ...user }) => ({ ...user, activeSessions: _count.sessions })) };
  }

  /** Ends every session of the user; each device learns `reason: revoked` [U-INVALIDATE]. */
  @RequiresRecentAuth()
  @EndsSessions()
  @Post(':id/revoke-sessions')
  @HttpCode(200)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RevokedCountDto })
  @ApiErrors('NOT_FOUND')
  async revokeSessions(
    @UserId() id: string,
    @CurrentUser() admin: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
    @Req() req: Request,
  ): Promise<{ revoked: number }> {
    await this.assertExists(id);
    // The admin's own session is among them when they revoke themselves; nothing writes it back [L-FINAL].
    const revoked = await this.prisma.$transaction(async (tx) => {
      const { sessions } = await this.sessions.endEverything(id, 'revoked', { actingSid: session.sid, tx });
      await this.events.record('session_revoked', id, client, { by: admin.id, count: sessions }, { tx });
      return sessions;
    });
    // An admin ending all their own sessions ends this one too: the request goes on without it.
    if (admin.id === id) detachSession(req);
    return { revoked };
  }

  /** Each live session of the user continues under a new ID on its next request (see SessionAuthGuard). */
  @RequiresRecentAuth()
  @Patch(':id/role')
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors('NOT_FOUND')
  async changeRole(
    @UserId() id: string,
    @Body() body: ChangeRoleDto,
    @CurrentUser() admin: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
  ): Promise<{ user: PublicUser }> {
    await this.assertExists(id);
    const user = await this.prisma.$transaction(async (tx) => {
      await changeRole(tx, this.events, { userId: id, role: body.role, by: admin.id, client });
      // An admin whose session ended while this was in flight changes nothing [L-FINAL].
      await this.sessions.assertStillSignedIn(tx, session.sid);
      return tx.user.findUniqueOrThrow({ where: { id }, select: PUBLIC_USER_FIELDS });
    });
    return { user };
  }

  private async assertExists(id: string): Promise<void> {
    if (!(await this.prisma.user.findUnique({ where: { id }, select: { id: true } }))) throw new AppError('NOT_FOUND');
  }
}
