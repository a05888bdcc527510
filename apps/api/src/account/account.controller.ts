import { Body, Controller, Delete, HttpCode, Patch, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Client } from '../auth/client.decorator.js';
import { CurrentSession } from '../auth/current-session.decorator.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { ClientContext } from '../common/client-context.js';
import type { SignedInSession } from '../sessions/session-data.js';
import { adoptSession, forgetThisDevice } from '../sessions/session-lifecycle.js';
import { RequiresRecentAuth } from '../step-up/requires-recent-auth.decorator.js';
import type { PublicUser } from '../users/public-user.js';
import { AccountService } from './account.service.js';
import { ChangeEmailDto } from './dto/change-email.dto.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { EmailChangeResponseDto } from './dto/email-change-response.dto.js';

@ApiTags('account')
@Controller('account')
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @RequiresRecentAuth()
  @Post('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed; every other session and remember-me series has ended.' })
  async changePassword(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
    @Req() req: Request,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    const moved = await this.account.changePassword(user, session, client, body.newPassword);
    if (moved) adoptSession(req, moved);
  }

  @RequiresRecentAuth()
  @Patch('email')
  @ApiOkResponse({ type: EmailChangeResponseDto, description: 'A link went to the new address and a notice to the old one; nothing changes until the link is used.' })
  @ApiErrors('EMAIL_TAKEN', 'TOO_MANY_REQUESTS')
  async changeEmail(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
    @Body() body: ChangeEmailDto,
  ): Promise<{ user: PublicUser; pendingEmail: string | null }> {
    return { user, pendingEmail: await this.account.changeEmail(user, session.sid, client, body.email) };
  }

  @RequiresRecentAuth()
  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The account and all its sessions are gone.' })
  async deleteAccount(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.account.deleteAccount(user.id, session.sid);
    forgetThisDevice(req, res);
  }
}
