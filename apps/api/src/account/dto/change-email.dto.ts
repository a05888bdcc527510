import { IsEmail, MaxLength } from 'class-validator';
import { NormalizedEmail } from '../../users/public-user.js';

export class ChangeEmailDto {
  @NormalizedEmail()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;
}
