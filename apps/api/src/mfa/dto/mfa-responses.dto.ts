import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PublicUserDto } from '../../users/dto/public-user.dto.js';

export const SECOND_FACTOR_METHODS = ['passkey', 'totp', 'recovery_code'] as const;

/** POST /api/auth/login: signed in, or a second factor is owed [M-SIGNIN]. */
export class LoginResponseDto {
  @ApiPropertyOptional({ type: PublicUserDto, description: 'Set when signed in.' })
  user?: PublicUserDto;

  @ApiPropertyOptional({ description: 'Set when the password was right and a second factor must complete the sign-in (POST /api/auth/login/mfa, or POST /api/auth/login/mfa/passkey).' })
  mfaRequired?: boolean;

  @ApiPropertyOptional({ enum: SECOND_FACTOR_METHODS, enumName: 'SecondFactorMethod', isArray: true })
  methods?: (typeof SECOND_FACTOR_METHODS)[number][];
}

export class TotpEnrolmentDto {
  @ApiProperty({ description: 'The key in base32, for typing into an authenticator app.' })
  secret: string;

  @ApiProperty({ description: 'The otpauth:// URI the QR code shows.' })
  otpauthUrl: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: 'Shown once: only hashes are kept.' })
  recoveryCodes: string[];
}

export class MfaStatusDto {
  @ApiProperty({ description: 'The authenticator app is on.' })
  totp: boolean;

  @ApiProperty({ type: 'integer', minimum: 0 })
  recoveryCodesLeft: number;
}
