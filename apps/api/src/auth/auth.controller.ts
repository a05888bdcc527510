import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { describeSession } from '../sessions/describe-session.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { PublicUser } from '../users/public-user.js';
import { UsersService } from '../users/users.service.js';
import { AnonymousLimits } from './anonymous-limits.service.js';
import { CurrentUser } from './current-user.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { PreSessionCsrf } from './pre-session-csrf.js';
import { Public } from './public.decorator.js';
import { SignInService } from './sign-in.service.js';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { UserResponseDto } from '../users/dto/public-user.dto.js';
import { CsrfTokenDto } from './dto/csrf-token.dto.js';
import { MeResponseDto } from './dto/me-response.dto.js';

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
  async csrf(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ csrfToken: string }> {
    if (req.session?.userId && req.session.csrfToken) return { csrfToken: req.session.csrfToken };
    await this.limits.token(req);
    return { csrfToken: this.preSession.tokenFor(req, res) };
  }

  @Public()
  @Post('register')
  @HttpCode(201)
  @ApiCreatedResponse({ type: UserResponseDto, description: 'Signed in.' })
  @ApiErrors('EMAIL_TAKEN', 'TOO_MANY_REQUESTS', 'UNAUTHENTICATED')
  async register(@Body() body: RegisterDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<{ user: PublicUser }> {
    await this.limits.signUp(req);
    const user = await this.users.register(body);
    await this.signIn.startSession(req, res, user);
    return { user };
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponseDto, description: 'Signed in under a new session ID.' })
  @ApiErrors('INVALID_CREDENTIALS', 'TOO_MANY_REQUESTS', 'UNAUTHENTICATED')
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body() body: LoginDto): Promise<{ user: PublicUser }> {
    const user = req.user!;
    await this.signIn.startSession(req, res, user, { rememberMe: body.rememberMe === true });
    return { user };
  }

  /** [L-LOGOUT, C-CLEAR] The server-side session dies; the cookie is expired with its own flags. */
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Signed out; cookies cleared.' })
  async logout(@CurrentUser() user: PublicUser, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.endThisDevice(req, res, 'signed_out');
    await this.events.record('sign_out', user.id, req);
  }

  @Get('me')
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentUser() user: PublicUser, @Req() req: Request) {
    return { user, session: describeSession(req, this.config) };
  }
}
