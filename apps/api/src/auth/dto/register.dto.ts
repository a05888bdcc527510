import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../users/password-policy.js';
import { NormalizedEmail } from '../../users/public-user.js';

export class RegisterDto {
  // class-validator reports the check nearest a field first, so the most basic one goes last.
  @ApiProperty({ format: 'email', maxLength: 254 })
  @NormalizedEmail()
  @MaxLength(254, { message: 'Use an email address of at most 254 characters.' })
  @IsEmail({}, { message: 'Enter a valid email address, such as name@example.com.' })
  email: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH, format: 'password' })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` })
  @IsString({ message: 'Choose a password.' })
  password: string;

  @ApiProperty({ minLength: 1, maxLength: 100, description: 'Trimmed.' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(100, { message: 'Use at most 100 characters for your name.' })
  @MinLength(1, { message: 'Enter your name.' })
  @IsString({ message: 'Enter your name.' })
  name: string;
}
