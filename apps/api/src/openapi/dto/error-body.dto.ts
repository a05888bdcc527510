import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ERROR_CODES, type ErrorBody, type ErrorCode, type SessionEndReason } from '../../common/errors/error-codes.js';
import { SessionEndReason as SessionEndReasons } from '../../generated/prisma/enums.js';

/** The codes and reasons come from the error registry and the schema, never a copied list. */
export const ERROR_CODE_VALUES = Object.keys(ERROR_CODES) as ErrorCode[];
export const SESSION_END_REASON_VALUES = Object.values(SessionEndReasons) satisfies SessionEndReason[];

export class FieldErrorDto {
  @ApiProperty({ description: 'The request field, dotted for nested ones.' })
  field: string;

  @ApiProperty({ description: 'What to fix, in words a person can read.' })
  message: string;
}

/** The one error shape {statusCode, code, message} of every error answer (STYLE 8). */
export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({ type: 'integer', example: 403 })
  statusCode: number;

  @ApiProperty({ enum: ERROR_CODE_VALUES, enumName: 'ErrorCode', description: 'Clients switch on this.' })
  code: ErrorCode;

  @ApiProperty({ example: 'Confirm your password to continue.' })
  message: string;

  @ApiPropertyOptional({
    enum: SESSION_END_REASON_VALUES,
    enumName: 'SessionEndReason',
    description: 'On a 401: why this device\'s session ended, so the sign-in page can say so.',
  })
  reason?: SessionEndReason;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'On a 400 (and a 409): one entry per refused field.' })
  errors?: FieldErrorDto[];
}
