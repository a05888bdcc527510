import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { Client } from '../auth/client.decorator.js';
import { Public } from '../auth/public.decorator.js';
import type { ClientContext } from '../common/client-context.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { PasswordResetConfirmDto, PasswordResetRequestDto } from './dto/password-reset.dto.js';
import { PasswordResetService } from './password-reset.service.js';

@ApiTags('auth')
@Controller('auth/password-reset')
export class PasswordResetController {
  constructor(private readonly passwordReset: PasswordResetService) {}

  /** The same 202 whether or not the address has an account [E-RESET]. */
  @Public()
  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'If the address has an account, a reset link is on its way.' })
  @ApiErrors('TOO_MANY_REQUESTS')
  async request(@Body() body: PasswordResetRequestDto, @Client() client: ClientContext): Promise<void> {
    await this.passwordReset.request(body.email, client);
  }

  @Public()
  @Post('confirm')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The password is set; every session has ended; nobody is signed in.' })
  @ApiErrors('LINK_INVALID')
  async confirm(@Body() body: PasswordResetConfirmDto, @Client() client: ClientContext): Promise<void> {
    await this.passwordReset.confirm(body.token, body.newPassword, client);
  }
}
