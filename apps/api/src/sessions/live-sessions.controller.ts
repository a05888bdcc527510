import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentSession } from '../auth/current-session.decorator.js';
import { AppError } from '../common/errors/error-codes.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { LiveStreams } from './live-streams.js';
import { NotActivity } from './not-activity.decorator.js';
import type { SignedInSession } from './session-data.js';

const EVENTS = [
  'Server-sent events. `ended` (data `{"reason": SessionEndReason}`, the reason left out when none is known): this',
  "session has ended, and the stream closes. `devices` (data `{}`): the user's list of devices changed; fetch",
  'GET /api/sessions again. Comment lines are keep-alives. Holding it open is not activity: the idle timeout still',
  'runs. A close without `ended` (a restart, a move of the session to a new ID) is for the EventSource to reconnect.',
].join(' ');

@ApiTags('sessions')
@Controller('sessions')
export class LiveSessionsController {
  constructor(
    private readonly streams: LiveStreams,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** [D-LIVE] An open page learns at once that its session ended, and when the devices list changes. */
  @NotActivity()
  @Get('live')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: EVENTS, content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiErrors('FORBIDDEN', 'TOO_MANY_REQUESTS')
  stream(@CurrentSession() session: SignedInSession, @Req() req: Request, @Res() res: Response): void {
    if (!fromThisSite(req, this.config.mail.appUrl)) throw new AppError('FORBIDDEN', { message: 'Open the live stream from this site.' });
    this.streams.open(session, res);
  }
}

/**
 * A page of another site must not hold streams on a visitor's cookies (each takes a slot of the
 * user's cap): a browser sends Origin on a cross-origin EventSource, and Sec-Fetch-Site on all.
 */
function fromThisSite(req: Request, appUrl: string): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = req.get('origin');
  if (origin === undefined) return true;
  if (origin === appUrl) return true;
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}
