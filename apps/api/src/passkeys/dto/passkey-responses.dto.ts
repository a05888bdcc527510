import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Base64Url } from './base64url.js';

/** The parts of a WebAuthn response that @simplewebauthn/browser sends, as JSON. */
abstract class CredentialResponseDto {
  @Base64Url(1400)
  id: string;

  @Base64Url(1400)
  rawId: string;

  @ApiProperty({ enum: ['public-key'] })
  @IsIn(['public-key'], { message: 'A passkey response has the type "public-key".' })
  type: 'public-key';

  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject({ message: 'Send the client extension results as an object.' })
  clientExtensionResults: Record<string, unknown>;

  @ApiPropertyOptional({ enum: ['platform', 'cross-platform'] })
  @IsOptional()
  @IsIn(['platform', 'cross-platform'], { message: 'The authenticator attachment is "platform" or "cross-platform".' })
  authenticatorAttachment?: 'platform' | 'cross-platform';
}

export class AssertionDto {
  @Base64Url(4096)
  clientDataJSON: string;

  @Base64Url(4096)
  authenticatorData: string;

  @Base64Url(1024)
  signature: string;

  @Base64Url(128, true)
  userHandle?: string;
}

/** navigator.credentials.get()'s answer. */
export class AuthenticationResponseDto extends CredentialResponseDto {
  @ApiProperty({ type: AssertionDto })
  @ValidateNested({ message: 'Send the passkey response as the browser gave it.' })
  @Type(() => AssertionDto)
  @IsObject({ message: 'Send the passkey response as the browser gave it.' })
  response: AssertionDto;
}

export class AttestationDto {
  @Base64Url(4096)
  clientDataJSON: string;

  @Base64Url(16384)
  attestationObject: string;

  @Base64Url(16384, true)
  authenticatorData?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsString({ each: true, message: 'Each transport is a name.' })
  @MaxLength(32, { each: true, message: 'A transport name has at most 32 characters.' })
  @ArrayMaxSize(8, { message: 'Send at most 8 transports.' })
  @IsArray({ message: 'Send the transports as a list.' })
  transports?: string[];

  @ApiPropertyOptional({ type: 'integer' })
  @IsOptional()
  @IsInt({ message: 'The public key algorithm is a whole number.' })
  publicKeyAlgorithm?: number;

  @Base64Url(4096, true)
  publicKey?: string;
}

/** navigator.credentials.create()'s answer. */
export class RegistrationResponseDto extends CredentialResponseDto {
  @ApiProperty({ type: AttestationDto })
  @ValidateNested({ message: 'Send the passkey response as the browser gave it.' })
  @Type(() => AttestationDto)
  @IsObject({ message: 'Send the passkey response as the browser gave it.' })
  response: AttestationDto;
}

export class PasskeySignInDto {
  @ApiProperty({ type: AuthenticationResponseDto })
  @ValidateNested({ message: 'Send the passkey response as the browser gave it.' })
  @Type(() => AuthenticationResponseDto)
  @IsObject({ message: 'Send the passkey response as the browser gave it.' })
  credential: AuthenticationResponseDto;

  @ApiPropertyOptional({ default: false, description: 'Keep this device signed in with a remember-me cookie.' })
  @IsOptional()
  @IsBoolean({ message: '"Remember me" must be true or false.' })
  rememberMe?: boolean;
}

export class PasskeyAssertionDto {
  @ApiProperty({ type: AuthenticationResponseDto })
  @ValidateNested({ message: 'Send the passkey response as the browser gave it.' })
  @Type(() => AuthenticationResponseDto)
  @IsObject({ message: 'Send the passkey response as the browser gave it.' })
  credential: AuthenticationResponseDto;
}

export class RegisterPasskeyDto {
  @ApiProperty({ minLength: 1, maxLength: 64, description: 'A name to tell this passkey from the others, such as "Work laptop".' })
  @MaxLength(64, { message: 'Use a name of at most 64 characters.' })
  @MinLength(1, { message: 'Give the passkey a name.' })
  @IsString({ message: 'Give the passkey a name.' })
  name: string;

  @ApiProperty({ type: RegistrationResponseDto })
  @ValidateNested({ message: 'Send the passkey response as the browser gave it.' })
  @Type(() => RegistrationResponseDto)
  @IsObject({ message: 'Send the passkey response as the browser gave it.' })
  credential: RegistrationResponseDto;
}

/** Options for @simplewebauthn/browser's startAuthentication()/startRegistration(), as the server made them. */
export class WebAuthnOptionsDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'PublicKeyCredentialRequestOptionsJSON or PublicKeyCredentialCreationOptionsJSON.' })
  options: Record<string, unknown>;
}

export class PasskeyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastUsedAt: string | null;

  @ApiProperty({ description: 'Synced between devices by its provider (a multi-device passkey).' })
  backedUp: boolean;
}

/** The answer to adding a passkey: the passkey, and with a first factor its recovery codes. */
export class RegisteredPasskeyDto extends PasskeyDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Ten single-use recovery codes, present only when this passkey is the account\'s first second factor and it had none; shown this once.',
  })
  recoveryCodes?: string[];
}

export class PasskeyListDto {
  @ApiProperty({ type: [PasskeyDto] })
  passkeys: PasskeyDto[];
}
