import { Body, Controller, Delete, HttpCode, Patch, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RequiresRecentAuth } from '../step-up/requires-recent-auth.decorator.js';
import type { PublicUser } from '../users/public-user.js';
import { AccountService } from './account.service.js';
import { ChangeEmailDto } from './dto/change-email.dto.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';

@Controller('account')
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @RequiresRecentAuth()
  @Post('password')
  @HttpCode(204)
  async changePassword(@Req() req: Request, @Body() body: ChangePasswordDto): Promise<void> {
    await this.account.changePassword(req, body.newPassword);
  }

  @RequiresRecentAuth()
  @Patch('email')
  async changeEmail(@Req() req: Request, @Body() body: ChangeEmailDto): Promise<{ user: PublicUser }> {
    return { user: await this.account.changeEmail(req, body.email) };
  }

  @RequiresRecentAuth()
  @Delete()
  @HttpCode(204)
  async deleteAccount(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.account.deleteAccount(req, res);
  }
}
