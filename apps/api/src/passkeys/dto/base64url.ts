import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A base64url field of a WebAuthn response, bounded so no one posts megabytes of "signature". */
export const Base64Url = (maxLength: number, optional = false) =>
  applyDecorators(
    optional ? ApiPropertyOptional({ pattern: '^[A-Za-z0-9_-]*$', maxLength }) : ApiProperty({ pattern: '^[A-Za-z0-9_-]*$', maxLength }),
    ...(optional ? [IsOptional()] : []),
    Matches(/^[A-Za-z0-9_-]*$/, { message: 'Send the passkey response as base64url.' }),
    MaxLength(maxLength, { message: 'This part of the passkey response is too long.' }),
    IsString({ message: 'Send the passkey response as base64url.' }),
  );
