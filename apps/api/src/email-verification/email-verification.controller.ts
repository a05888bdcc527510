import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Client } from '../auth/client.decorator.js';
import { Public } from '../auth/public.decorator.js';
import type { ClientContext } from '../common/client-context.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { UserResponseDto } from '../users/dto/public-user.dto.js';
import type { PublicUser } from '../users/public-user.js';
import { VerifyEmailDto } from './dto/verify-email.dto.js';
import { EmailVerificationService } from './email-verification.service.js';

@ApiTags('auth')
@Controller('auth/verify-email')
export class EmailVerificationController {
  constructor(private readonly verification: EmailVerificationService) {}

  @Public()
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: UserResponseDto, description: 'The address is verified (and, for an email change, now the account’s).' })
  @ApiErrors('LINK_INVALID', 'EMAIL_TAKEN')
  async verify(@Body() body: VerifyEmailDto, @Client() client: ClientContext): Promise<{ user: PublicUser }> {
    return { user: await this.verification.verify(body.token, client) };
  }
}
