import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { Client } from '../auth/client.decorator.js';
import { Public } from '../auth/public.decorator.js';
import type { ClientContext } from '../common/client-context.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { NotMeDto } from './dto/not-me.dto.js';
import { NewDeviceAlerts } from './new-device-alerts.service.js';
import { EndsSessions } from '../sessions/ends-sessions.decorator.js';

@ApiTags('auth')
@Controller('auth/not-me')
export class NewDeviceAlertsController {
  constructor(private readonly alerts: NewDeviceAlerts) {}

  /** No sign-in needed: whoever reads the owner's mail may end a session the owner does not know. */
  @EndsSessions()
  @Public()
  @Post()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session named in the new-device alert has ended.' })
  @ApiErrors('LINK_INVALID')
  async notMe(@Body() body: NotMeDto, @Client() client: ClientContext): Promise<void> {
    await this.alerts.disown(body.token, client);
  }
}
