import type { Request, Response } from 'express';
import type { ClientContext } from '../common/client-context.js';
import { clearRememberCookie, readRememberCookie, setRememberCookie } from '../remember-me/remember-cookie.js';
import type { SignInMethod } from '../sessions/session-data.js';
import { adoptSession, currentSessionOf, detachSession } from '../sessions/session-lifecycle.js';
import type { PublicUser } from '../users/public-user.js';
import type { SignInService } from './sign-in.service.js';

/**
 * The edge of every sign-in (password, second factor, passkey): the browser's remember-me cookie
 * and earlier session end [R-ONE], and it continues under the new session's ID [S-FIXATION], with
 * a new remember-me cookie when asked for. `req.provenSessionGeneration` is what the proof was
 * checked against [L-FINAL].
 */
export async function startBrowserSession(
  signIn: SignInService,
  req: Request,
  res: Response,
  client: ClientContext,
  user: PublicUser,
  { rememberMe = false, method }: { rememberMe?: boolean; method: SignInMethod },
): Promise<void> {
  const presentedRemember = readRememberCookie(req);
  if (presentedRemember) clearRememberCookie(res);
  const replacing = req.session?.userId ? currentSessionOf(req) : undefined;
  if (replacing) detachSession(req);
  const provenGeneration = req.provenSessionGeneration;
  const started = await signIn.startSession(user, client, { rememberMe, provenGeneration, presentedRemember, replacing, method });
  adoptSession(req, started.session);
  if (started.rememberCookie) setRememberCookie(res, started.rememberCookie.value, started.rememberCookie.maxAgeSeconds);
}
