import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, MaxLength } from 'class-validator';
import { NormalizedEmail } from '../../users/public-user.js';

export class ChangeEmailDto {
  // class-validator reports the check nearest a field first, so the most basic one goes last.
  @ApiProperty({ format: 'email', maxLength: 254 })
  @NormalizedEmail()
  @MaxLength(254, { message: 'Use an email address of at most 254 characters.' })
  @IsEmail({}, { message: 'Enter a valid email address, such as name@example.com.' })
  email: string;
}
