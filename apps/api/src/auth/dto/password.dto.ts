import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH } from '../../users/password-policy.js';

export class PasswordDto {
  // class-validator reports the check nearest a field first, so the most basic one goes last.
  @ApiProperty({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH, format: 'password' })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: `A password has at most ${MAX_PASSWORD_LENGTH} characters.` })
  @MinLength(1, { message: 'Enter your password.' })
  @IsString({ message: 'Enter your password.' })
  password: string;
}
