import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RememberMeService } from '../remember-me/remember-me.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { describeSession } from '../sessions/describe-session.js';
import { newCsrfToken } from '../sessions/session-lifecycle.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { PublicUser } from '../users/public-user.js';
import { UsersService } from '../users/users.service.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { Public } from './public.decorator.js';
import { SignInService } from './sign-in.service.js';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly events: SecurityEventsService,
    private readonly rememberMe: RememberMeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The only route that creates a session for an anonymous visitor: the one that carries the token. */
  @Public()
  @Get('csrf')
  csrf(@Req() req: Request): { csrfToken: string } {
    if (!req.session.csrfToken) {
      const now = Date.now();
      Object.assign(req.session, { csrfToken: newCsrfToken(), createdAt: now, lastActiveAt: now });
    }
    return { csrfToken: req.session.csrfToken! };
  }

  @Public()
  @Post('register')
  @HttpCode(201)
  async register(@Body() body: RegisterDto, @Req() req: Request): Promise<{ user: PublicUser }> {
    const user = await this.users.register(body);
    await this.signIn.startSession(req, user);
    return { user };
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(200)
  async login(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Body() body: LoginDto): Promise<{ user: PublicUser }> {
    const user = req.user!;
    const rememberSeriesId = body.rememberMe ? await this.rememberMe.issue(user.id, res) : undefined;
    await this.signIn.startSession(req, user, { rememberSeriesId });
    return { user };
  }

  /** [L-LOGOUT, C-CLEAR] The server-side session dies; the cookie is expired with its own flags. */
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const userId = req.user!.id;
    await this.sessions.endThisDevice(req, res, 'signed_out');
    await this.events.record('sign_out', userId, req);
  }

  @Get('me')
  me(@Req() req: Request) {
    return { user: req.user!, session: describeSession(req, this.config) };
  }
}
