import { Transform } from 'class-transformer';
import { IsEmail, MaxLength } from 'class-validator';

export class ChangeEmailDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;
}
