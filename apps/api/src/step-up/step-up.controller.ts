import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Client } from '../auth/client.decorator.js';
import { CurrentSession } from '../auth/current-session.decorator.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { readDeviceCookie, setDeviceCookie } from '../auth/device-cookie.js';
import { SecondFactorService } from '../mfa/second-factor.service.js';
import { ReauthDto } from './dto/reauth.dto.js';
import { AnonymousLimits } from '../auth/anonymous-limits.service.js';
import { PasskeyAssertionDto, WebAuthnOptionsDto } from '../passkeys/dto/passkey-responses.dto.js';
import { PasskeyAssertions } from '../passkeys/passkey-assertions.service.js';
import { SignInService } from '../auth/sign-in.service.js';
import type { ClientContext } from '../common/client-context.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { describeSession } from '../sessions/describe-session.js';
import type { SignedInSession } from '../sessions/session-data.js';
import { adoptSession, currentSessionOf, newCsrfToken } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { CurrentSessionResponseDto } from '../sessions/dto/current-session.dto.js';
import type { PublicUser } from '../users/public-user.js';

@ApiTags('step-up')
@Controller('auth')
export class StepUpController {
  constructor(
    private readonly signIn: SignInService,
    private readonly events: SecurityEventsService,
    private readonly sessions: SessionsService,
    private readonly secondFactors: SecondFactorService,
    private readonly passkeys: PasskeyAssertions,
    private readonly limits: AnonymousLimits,
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Proves the password again (through the sign-in throttle), or a code of the authenticator app
   * (through the second-factor throttle, once per code) [M-STEPUP], then continues under a new session
   * ID and CSRF token: an ID captured before step-up never gains the fresh privileges (ASVS 7.2.4).
   */
  @Post('reauth')
  @HttpCode(200)
  @ApiOkResponse({ type: CurrentSessionResponseDto, description: 'The step-up window is open, under a new session ID.' })
  @ApiErrors('INVALID_CREDENTIALS', 'INVALID_CODE', 'TOO_MANY_REQUESTS')
  async reauthenticate(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: ReauthDto,
  ) {
    if (body.code !== undefined) {
      await this.secondFactors.verifyForStepUp(user.id, { code: body.code }, client);
    } else {
      const proved = await this.signIn.verifyPassword(user.email, body.password!, client, readDeviceCookie(req));
      if (proved.deviceCookie) setDeviceCookie(res, proved.deviceCookie);
    }
    return this.openWindow(user, session, client, req, body.code !== undefined ? 'totp' : 'password');
  }

  /** A challenge for one of this user's passkeys, bound to this session. */
  @Post('reauth/passkey/options')
  @HttpCode(200)
  @ApiOkResponse({ type: WebAuthnOptionsDto })
  @ApiErrors('TOO_MANY_REQUESTS')
  async passkeyOptions(@CurrentUser() user: PublicUser, @CurrentSession() session: SignedInSession, @Client() client: ClientContext): Promise<WebAuthnOptionsDto> {
    await this.limits.passkeyChallenge(client.ip);
    return { options: { ...(await this.passkeys.options('step_up', session.sid, user.id)) } };
  }

  /** Step-up by one of this user's passkeys [M-STEPUP]: the same new ID and window as the password. */
  @Post('reauth/passkey')
  @HttpCode(200)
  @ApiOkResponse({ type: CurrentSessionResponseDto, description: 'The step-up window is open, under a new session ID.' })
  @ApiErrors('PASSKEY_INVALID')
  async reauthenticateWithPasskey(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
    @Req() req: Request,
    @Body() body: PasskeyAssertionDto,
  ) {
    await this.passkeys.verify(body.credential, 'step_up', session.sid, client, user.id);
    return this.openWindow(user, session, client, req, 'passkey');
  }

  private async openWindow(user: PublicUser, session: SignedInSession, client: ClientContext, req: Request, method: 'password' | 'totp' | 'passkey') {
    // A session that ended while the proof was being checked stays ended [L-FINAL].
    const reauthenticatedAt = Date.now();
    // One transaction: a failing event insert must not leave a window open, under a new ID, that
    // the user's timeline never shows [A-EVENTS].
    const moved = await this.prisma.$transaction(async (tx) => {
      const rotated = await this.sessions.rotateId(session, { csrfToken: newCsrfToken(), reauthenticatedAt }, { tx });
      // Recorded only by the step-up that opened the window: parallel tabs make one window, one event.
      if (rotated) await this.events.record('step_up', user.id, client, { method }, { tx });
      return rotated;
    });
    // Null when a parallel step-up of this browser moved the session first: it opened the window.
    if (moved) adoptSession(req, moved);
    else req.session.reauthenticatedAt = reauthenticatedAt;
    return { session: describeSession(currentSessionOf(req), this.config) };
  }
}
