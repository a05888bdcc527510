import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH } from '../../users/password-policy.js';

export class LoginDto {
  // class-validator reports the check nearest a field first, so the most basic one goes last.
  @ApiProperty({ minLength: 1, maxLength: 254 })
  @MaxLength(254, { message: 'Use an email address of at most 254 characters.' })
  @MinLength(1, { message: 'Enter your email address.' })
  @IsString({ message: 'Enter your email address.' })
  email: string;

  @ApiProperty({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH, format: 'password' })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: `A password has at most ${MAX_PASSWORD_LENGTH} characters.` })
  @MinLength(1, { message: 'Enter your password.' })
  @IsString({ message: 'Enter your password.' })
  password: string;

  @ApiPropertyOptional({ default: false, description: 'Keep this device signed in with a remember-me cookie.' })
  @IsOptional()
  @IsBoolean({ message: '"Remember me" must be true or false.' })
  rememberMe?: boolean;
}
