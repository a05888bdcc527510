import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from './errors/error-codes.js';

/** DTOs are the only way in: unknown fields are refused, and every field error is named [I-BAD]. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => new AppError('VALIDATION_FAILED', { errors: errors.flatMap((error) => flatten(error)) }),
  });
}

function flatten(error: ValidationError, parent = ''): { field: string; message: string }[] {
  const field = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
  return [...own, ...(error.children ?? []).flatMap((child) => flatten(child, field))];
}
