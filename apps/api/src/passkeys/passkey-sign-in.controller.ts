import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AnonymousLimits } from '../auth/anonymous-limits.service.js';
import { Client } from '../auth/client.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { SignInService } from '../auth/sign-in.service.js';
import { startBrowserSession } from '../auth/start-browser-session.js';
import type { ClientContext } from '../common/client-context.js';
import { AppError } from '../common/errors/error-codes.js';
import { clearPendingCookie, readPendingCookie } from '../mfa/pending-sign-in-cookie.js';
import { SecondFactorService } from '../mfa/second-factor.service.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { UserResponseDto } from '../users/dto/public-user.dto.js';
import type { PublicUser } from '../users/public-user.js';
import { UsersService } from '../users/users.service.js';
import { PasskeyAssertionDto, PasskeySignInDto, WebAuthnOptionsDto } from './dto/passkey-responses.dto.js';
import { PasskeyAssertions } from './passkey-assertions.service.js';
import { sha256Hex } from './passkey-challenges.service.js';
import { clearPasskeyCookie, issuePasskeyCookie, readPasskeyCookie } from './passkey-cookie.js';

/**
 * Signing in with a passkey [M-PASSKEY, M-SIGNIN]: on its own (a discoverable credential, no
 * password), or as the second factor of a pending sign-in. Either starts the session exactly as a
 * password sign-in does: a new ID, remember-me when asked, a new-device alert and a `sign_in` event.
 */
@ApiTags('passkeys')
@Controller('auth')
export class PasskeySignInController {
  constructor(
    private readonly assertions: PasskeyAssertions,
    private readonly limits: AnonymousLimits,
    private readonly signIn: SignInService,
    private readonly users: UsersService,
    private readonly secondFactors: SecondFactorService,
  ) {}

  /** A challenge bound to a new cookie of this browser; per-IP limited, since each stores a row [A-ANON]. */
  @Public()
  @Post('passkey/options')
  @HttpCode(200)
  @ApiOkResponse({ type: WebAuthnOptionsDto })
  @ApiErrors('TOO_MANY_REQUESTS')
  async signInOptions(@Res({ passthrough: true }) res: Response, @Client() client: ClientContext): Promise<WebAuthnOptionsDto> {
    await this.limits.passkeyChallenge(client.ip);
    const token = issuePasskeyCookie(res);
    return { options: { ...(await this.assertions.options('sign_in', sha256Hex(token))) } };
  }

  @Public()
  @Post('passkey')
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponseDto, description: 'Signed in under a new session ID.' })
  @ApiErrors('PASSKEY_INVALID', 'TOO_MANY_REQUESTS', 'UNAUTHENTICATED')
  async signInWithPasskey(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: PasskeySignInDto,
    @Client() client: ClientContext,
  ): Promise<{ user: PublicUser }> {
    const token = readPasskeyCookie(req);
    if (!token) throw new AppError('PASSKEY_INVALID', { message: 'This passkey request has expired or was already used. Try again.' });
    const proved = await this.assertions.verify(body.credential, 'sign_in', sha256Hex(token), client);
    clearPasskeyCookie(res);
    const user = await this.users.find(proved.userId);
    if (!user) throw new AppError('PASSKEY_INVALID');
    req.provenSessionGeneration = proved.sessionGeneration;
    await startBrowserSession(this.signIn, req, res, client, user, { rememberMe: body.rememberMe === true, method: 'passkey' });
    return { user };
  }

  /** A challenge for the pending sign-in's own user, bound to that pending sign-in. */
  @Public()
  @Post('login/mfa/passkey/options')
  @HttpCode(200)
  @ApiOkResponse({ type: WebAuthnOptionsDto })
  @ApiErrors('TOO_MANY_REQUESTS', 'UNAUTHENTICATED')
  async secondFactorOptions(@Req() req: Request, @Client() client: ClientContext): Promise<WebAuthnOptionsDto> {
    await this.limits.passkeyChallenge(client.ip);
    const pending = await this.secondFactors.pendingOf(readPendingCookie(req));
    return { options: { ...(await this.assertions.options('second_factor', pending.idHash, pending.userId)) } };
  }

  /** Completes a pending sign-in with one of its user's passkeys, under a new session ID [M-SIGNIN]. */
  @Public()
  @Post('login/mfa/passkey')
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponseDto, description: 'Signed in under a new session ID; "remember me" from the first step applies now.' })
  @ApiErrors('PASSKEY_INVALID', 'TOO_MANY_REQUESTS', 'UNAUTHENTICATED')
  async completeWithPasskey(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: PasskeyAssertionDto,
    @Client() client: ClientContext,
  ): Promise<{ user: PublicUser }> {
    const pending = await this.secondFactors.pendingOf(readPendingCookie(req));
    const completed = await this.secondFactors.completePendingWithPasskey(pending, client, () =>
      this.assertions.verify(body.credential, 'second_factor', pending.idHash, client, pending.userId),
    );
    clearPendingCookie(res);
    req.provenSessionGeneration = completed.sessionGeneration;
    await startBrowserSession(this.signIn, req, res, client, completed.user, { rememberMe: completed.rememberMe, method: 'password_passkey' });
    return { user: completed.user };
  }
}
