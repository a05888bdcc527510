import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import { NormalizedEmail } from '../../users/public-user.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../users/password-policy.js';

export class PasswordResetRequestDto {
  // class-validator reports the check nearest a field first, so the most basic one goes last.
  @ApiProperty({ format: 'email', maxLength: 254 })
  @NormalizedEmail()
  @MaxLength(254, { message: 'Use an email address of at most 254 characters.' })
  @IsEmail({}, { message: 'Enter a valid email address, such as name@example.com.' })
  email: string;
}

export class PasswordResetConfirmDto {
  /** `selector.validator` from the emailed link's fragment. */
  @ApiProperty({ maxLength: 100 })
  @MaxLength(100, { message: 'This is not a link we sent.' })
  @IsString({ message: 'The link is missing its token.' })
  token: string;

  @ApiProperty({ minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH, format: 'password' })
  @MaxLength(MAX_PASSWORD_LENGTH, { message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` })
  @MinLength(MIN_PASSWORD_LENGTH, { message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` })
  @IsString({ message: 'Enter a new password.' })
  newPassword: string;
}
