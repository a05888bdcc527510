import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Client } from '../auth/client.decorator.js';
import { CurrentSession } from '../auth/current-session.decorator.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import type { ClientContext } from '../common/client-context.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import type { SignedInSession } from '../sessions/session-data.js';
import { adoptSession } from '../sessions/session-lifecycle.js';
import { AnonymousLimits } from '../auth/anonymous-limits.service.js';
import { RequiresRecentAuth } from '../step-up/requires-recent-auth.decorator.js';
import type { PublicUser } from '../users/public-user.js';
import { PasskeyListDto, RegisteredPasskeyDto, RegisterPasskeyDto, WebAuthnOptionsDto } from './dto/passkey-responses.dto.js';
import { PasskeysService } from './passkeys.service.js';

/** The security settings' passkeys [M-PASSKEY, M-CHANGE]: adding and removing need step-up. */
@ApiTags('passkeys')
@Controller('account/passkeys')
export class PasskeysController {
  constructor(
    private readonly passkeys: PasskeysService,
    private readonly limits: AnonymousLimits,
  ) {}

  @Get()
  @ApiOkResponse({ type: PasskeyListDto })
  async list(@CurrentUser() user: PublicUser): Promise<PasskeyListDto> {
    return { passkeys: await this.passkeys.list(user.id) };
  }

  @RequiresRecentAuth()
  @Post('options')
  @HttpCode(200)
  @ApiOkResponse({ type: WebAuthnOptionsDto, description: "Options for the browser's startRegistration()." })
  @ApiErrors('TOO_MANY_REQUESTS')
  async options(@CurrentUser() user: PublicUser, @CurrentSession() session: SignedInSession, @Client() client: ClientContext): Promise<WebAuthnOptionsDto> {
    // Attack stopped: one account storing challenge rows as fast as it can send requests. Each
    // call stores a row, so it takes a point like every other passkey challenge [A-ANON, A-RACE].
    await this.limits.passkeyChallenge(client.ip);
    return { options: { ...(await this.passkeys.registrationOptions(user, session)) } };
  }

  @RequiresRecentAuth()
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: RegisteredPasskeyDto, description: 'Added; every other session has ended. With a first second factor, the recovery codes, shown this once.' })
  @ApiErrors('PASSKEY_INVALID')
  async register(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
    @Req() req: Request,
    @Body() body: RegisterPasskeyDto,
  ): Promise<RegisteredPasskeyDto> {
    const { result, moved } = await this.passkeys.register(user, session, client, body.name, body.credential);
    if (moved) adoptSession(req, moved);
    return result;
  }

  @RequiresRecentAuth()
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed; every other session has ended.' })
  @ApiErrors('NOT_FOUND')
  async remove(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
    @Req() req: Request,
    @Param('id') id: string,
  ): Promise<void> {
    const { moved } = await this.passkeys.remove(user, session, client, id);
    if (moved) adoptSession(req, moved);
  }
}
