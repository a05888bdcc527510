import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { MAX_PASSWORD_LENGTH } from '../../users/password-policy.js';

/** Step-up proves the password, or a code of the authenticator app [M-STEPUP]. */
export class ReauthDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH, format: 'password', description: 'Required unless `code` is given.' })
  @ValidateIf((body: ReauthDto) => body.code === undefined)
  @MaxLength(MAX_PASSWORD_LENGTH, { message: `A password has at most ${MAX_PASSWORD_LENGTH} characters.` })
  @MinLength(1, { message: 'Enter your password.' })
  @IsString({ message: 'Enter your password.' })
  password?: string;

  @ApiPropertyOptional({ pattern: '^[0-9]{6}$', description: 'A code from the authenticator app, instead of the password.' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'Enter the 6-digit code from your authenticator app.' })
  @IsString({ message: 'Enter the 6-digit code from your authenticator app.' })
  code?: string;
}
