import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { PasswordDto } from '../auth/dto/password.dto.js';
import { SignInService } from '../auth/sign-in.service.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { describeSession } from '../sessions/describe-session.js';
import { newCsrfToken } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { CurrentSessionResponseDto } from '../sessions/dto/current-session.dto.js';

@ApiTags('step-up')
@Controller('auth')
export class StepUpController {
  constructor(
    private readonly signIn: SignInService,
    private readonly events: SecurityEventsService,
    private readonly sessions: SessionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Proves the password again (through the sign-in throttle), then continues under a new session
   * ID and CSRF token: an ID captured before step-up never gains the fresh privileges (ASVS 7.2.4).
   */
  @Post('reauth')
  @HttpCode(200)
  @ApiOkResponse({ type: CurrentSessionResponseDto, description: 'The step-up window is open, under a new session ID.' })
  @ApiErrors('INVALID_CREDENTIALS', 'TOO_MANY_REQUESTS')
  async reauthenticate(@Req() req: Request, @Body() body: PasswordDto) {
    await this.signIn.verifyPassword(req.user!.email, body.password, req);
    // A session that ended while the password was being checked stays ended [L-FINAL].
    const reauthenticatedAt = Date.now();
    // False when a parallel step-up of this browser moved the session first: it opened the window.
    if (!(await this.sessions.rotateId(req, { csrfToken: newCsrfToken(), reauthenticatedAt }))) req.session.reauthenticatedAt = reauthenticatedAt;
    await this.events.record('step_up', req.user!.id, req);
    return { session: describeSession(req, this.config) };
  }
}
