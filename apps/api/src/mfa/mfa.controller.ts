import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Client } from '../auth/client.decorator.js';
import { CurrentSession } from '../auth/current-session.decorator.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { ClientContext } from '../common/client-context.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import type { SignedInSession } from '../sessions/session-data.js';
import { adoptSession } from '../sessions/session-lifecycle.js';
import { RequiresRecentAuth } from '../step-up/requires-recent-auth.decorator.js';
import type { PublicUser } from '../users/public-user.js';
import { MfaStatusDto, RecoveryCodesDto, TotpEnrolmentDto } from './dto/mfa-responses.dto.js';
import { TotpCodeDto } from './dto/second-factor.dto.js';
import { FactorChangesService } from './factor-changes.service.js';
import { RecoveryCodesService } from './recovery-codes.service.js';
import { TotpService } from './totp.service.js';

/** The security settings' second factors [M-TOTP, M-RECOVERY, M-CHANGE]; every change needs step-up. */
@ApiTags('mfa')
@Controller('account/mfa')
export class MfaController {
  constructor(
    private readonly totp: TotpService,
    private readonly recoveryCodes: RecoveryCodesService,
    private readonly changes: FactorChangesService,
  ) {}

  @Get()
  @ApiOkResponse({ type: MfaStatusDto })
  async status(@CurrentUser() user: PublicUser): Promise<MfaStatusDto> {
    const [totp, recoveryCodesLeft] = await Promise.all([this.totp.isOn(user.id), this.recoveryCodes.remaining(user.id)]);
    return { totp, recoveryCodesLeft };
  }

  @RequiresRecentAuth()
  @Post('totp')
  @HttpCode(201)
  @ApiCreatedResponse({ type: TotpEnrolmentDto, description: 'A new key, not yet on: confirm it with a first code.' })
  @ApiErrors('MFA_ALREADY_ENABLED')
  startTotp(@CurrentUser() user: PublicUser): Promise<TotpEnrolmentDto> {
    return this.totp.startEnrolment(user);
  }

  @RequiresRecentAuth()
  @Post('totp/confirm')
  @HttpCode(200)
  @ApiOkResponse({ type: RecoveryCodesDto, description: 'On; every other session has ended. The recovery codes are shown this once.' })
  @ApiErrors('INVALID_CODE', 'TOO_MANY_REQUESTS')
  async confirmTotp(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
    @Req() req: Request,
    @Body() body: TotpCodeDto,
  ): Promise<RecoveryCodesDto> {
    const { result, moved } = await this.changes.confirmTotp(user, session, client, body.code);
    if (moved) adoptSession(req, moved);
    return { recoveryCodes: result };
  }

  @RequiresRecentAuth()
  @Delete('totp')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Off; the recovery codes go too unless a passkey remains. Every other session has ended.' })
  @ApiErrors('NOT_FOUND')
  async disableTotp(@CurrentUser() user: PublicUser, @CurrentSession() session: SignedInSession, @Client() client: ClientContext, @Req() req: Request): Promise<void> {
    const { moved } = await this.changes.disableTotp(user, session, client);
    if (moved) adoptSession(req, moved);
  }

  @RequiresRecentAuth()
  @Post('recovery-codes')
  @HttpCode(200)
  @ApiOkResponse({ type: RecoveryCodesDto, description: 'New codes, shown this once; the old ones no longer work.' })
  @ApiErrors('NOT_FOUND')
  async regenerateRecoveryCodes(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
    @Req() req: Request,
  ): Promise<RecoveryCodesDto> {
    const { result, moved } = await this.changes.regenerateRecoveryCodes(user, session, client);
    if (moved) adoptSession(req, moved);
    return { recoveryCodes: result };
  }
}
