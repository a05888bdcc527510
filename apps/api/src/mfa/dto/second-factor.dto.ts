import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A code from the authenticator app, or one of the recovery codes: one of the two. */
export class SecondFactorDto {
  @ApiPropertyOptional({ pattern: '^[0-9]{6}$', description: 'A code from the authenticator app.' })
  @IsOptional()
  @Matches(/^[0-9]{6}$/, { message: 'Enter the 6-digit code from your authenticator app.' })
  @IsString({ message: 'Enter the 6-digit code from your authenticator app.' })
  code?: string;

  @ApiPropertyOptional({ maxLength: 32, description: 'One of the recovery codes, with or without its dash.' })
  @IsOptional()
  @MaxLength(32, { message: 'A recovery code has 10 letters and digits.' })
  @IsString({ message: 'Enter a recovery code.' })
  recoveryCode?: string;
}

export class TotpCodeDto {
  @ApiPropertyOptional({ pattern: '^[0-9]{6}$', description: 'The code the authenticator app shows now.' })
  @Matches(/^[0-9]{6}$/, { message: 'Enter the 6-digit code from your authenticator app.' })
  @IsString({ message: 'Enter the 6-digit code from your authenticator app.' })
  code: string;
}
