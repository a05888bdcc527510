import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ClientContext } from '../common/client-context.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { describeSession } from '../sessions/describe-session.js';
import type { SignedInSession } from '../sessions/session-data.js';
import { forgetThisDevice } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { PublicUser } from '../users/public-user.js';
import { UsersService } from '../users/users.service.js';
import { AnonymousLimits } from './anonymous-limits.service.js';
import { Client } from './client.decorator.js';
import { CurrentSession } from './current-session.decorator.js';
import { CurrentUser } from './current-user.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { PreSessionCsrf } from './pre-session-csrf.js';
import { Public } from './public.decorator.js';
import { SignInService } from './sign-in.service.js';
import { startBrowserSession } from './start-browser-session.js';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { UserResponseDto } from '../users/dto/public-user.dto.js';
import { CsrfTokenDto } from './dto/csrf-token.dto.js';
import { LoginResponseDto } from '../mfa/dto/mfa-responses.dto.js';
import { SecondFactorDto } from '../mfa/dto/second-factor.dto.js';
import { clearPendingCookie, readPendingCookie, setPendingCookie } from '../mfa/pending-sign-in-cookie.js';
import { SecondFactorService, type PendingSignInMethod } from '../mfa/second-factor.service.js';
import type { SignInMethod } from '../sessions/session-data.js';
import { MeResponseDto } from './dto/me-response.dto.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { EndsSessions } from '../sessions/ends-sessions.decorator.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    private readonly limits: AnonymousLimits,
    private readonly preSession: PreSessionCsrf,
    private readonly secondFactors: SecondFactorService,
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The signed-in session's token; before sign-in, one bound to a cookie, with nothing stored
   * and a per-IP limit, so anonymous clients cannot make the server keep state [A-ANON].
   */
  @Public()
  @Get('csrf')
  @ApiOkResponse({ type: CsrfTokenDto })
  @ApiErrors('TOO_MANY_REQUESTS')
  async csrf(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Client() client: ClientContext): Promise<{ csrfToken: string }> {
    if (req.session?.userId && req.session.csrfToken) return { csrfToken: req.session.csrfToken };
    await this.limits.token(client.ip);
    return { csrfToken: this.preSession.tokenFor(req, res) };
  }

  @Public()
  @Post('register')
  @HttpCode(201)
  @ApiCreatedResponse({ type: UserResponseDto, description: 'Signed in.' })
  @ApiErrors('EMAIL_TAKEN', 'TOO_MANY_REQUESTS', 'UNAUTHENTICATED')
  async register(
    @Body() body: RegisterDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Client() client: ClientContext,
  ): Promise<{ user: PublicUser }> {
    await this.limits.signUp(client.ip);
    const user = await this.users.register(body);
    await startBrowserSession(this.signIn, req, res, client, user, { method: 'password' });
    return { user };
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({
    type: LoginResponseDto,
    description: 'Signed in under a new session ID; or, with a second factor on, `{mfaRequired, methods}` and a pending sign-in that is no session [M-SIGNIN].',
  })
  @ApiErrors('INVALID_CREDENTIALS', 'TOO_MANY_REQUESTS', 'UNAUTHENTICATED')
  async login(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: LoginDto,
    @Client() client: ClientContext,
  ): Promise<LoginResponseDto> {
    const user = req.user!;
    const methods = await this.secondFactors.methodsOf(user.id);
    if (methods.length > 0) {
      // No session and no remember-me cookie until the second factor is given.
      setPendingCookie(res, await this.secondFactors.startPending(user.id, req.provenSessionGeneration!, body.rememberMe === true));
      return { mfaRequired: true, methods };
    }
    await startBrowserSession(this.signIn, req, res, client, user, { rememberMe: body.rememberMe === true, method: 'password' });
    return { user };
  }

  /** Completes a pending sign-in with a code or a recovery code, under a new session ID [M-SIGNIN]. */
  @Public()
  @Post('login/mfa')
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponseDto, description: 'Signed in under a new session ID; "remember me" from the first step applies now.' })
  @ApiErrors('INVALID_CODE', 'TOO_MANY_REQUESTS', 'UNAUTHENTICATED')
  async completeLogin(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: SecondFactorDto,
    @Client() client: ClientContext,
  ): Promise<{ user: PublicUser }> {
    const completed = await this.secondFactors.completePending(readPendingCookie(req), body, client);
    clearPendingCookie(res);
    req.provenSessionGeneration = completed.sessionGeneration;
    const method: Record<PendingSignInMethod, SignInMethod> = { totp: 'password_totp', recovery_code: 'password_recovery_code', passkey: 'password_passkey' };
    await startBrowserSession(this.signIn, req, res, client, completed.user, { rememberMe: completed.rememberMe, method: method[completed.method] });
    return { user: completed.user };
  }

  /** [L-LOGOUT, C-CLEAR] The server-side session dies with its remember-me series; both cookies are expired with their own flags. */
  @EndsSessions()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Signed out; cookies cleared.' })
  async logout(
    @CurrentUser() user: PublicUser,
    @CurrentSession() session: SignedInSession,
    @Client() client: ClientContext,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await this.sessions.endSession(user.id, session.sid, 'signed_out', { tx });
      await this.events.record('sign_out', user.id, client, undefined, { tx });
    });
    forgetThisDevice(req, res);
  }

  @Get('me')
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentUser() user: PublicUser, @CurrentSession() session: SignedInSession) {
    return { user, session: describeSession(session, this.config) };
  }
}
