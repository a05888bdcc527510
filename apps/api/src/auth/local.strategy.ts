import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-local';
import type { PublicUser } from '../users/public-user.js';
import { readDeviceCookie, setDeviceCookie } from './device-cookie.js';
import { SignInService } from './sign-in.service.js';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly signIn: SignInService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  /** Runs after SessionAuthGuard, which read the client; the login route starts the session. */
  async validate(req: Request, email: string, password: string): Promise<PublicUser> {
    const proved = await this.signIn.verifyPassword(email, password, req.client!, readDeviceCookie(req));
    if (proved.deviceCookie) setDeviceCookie(req.res!, proved.deviceCookie);
    req.provenSessionGeneration = proved.sessionGeneration;
    return proved.user;
  }
}
