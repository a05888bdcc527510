import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from './errors/error-codes.js';
import { findHostileInput } from './hostile-input.js';

/**
 * DTOs are the only way in: unknown fields are refused, and every field error is named [I-BAD].
 * Input is screened first (depth, prototype keys, NUL, lone surrogates), because class-transformer
 * recurses without a bound and drops `__proto__`/`constructor` without a word.
 */
class ScreenedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const problem = findHostileInput(value);
      if (problem) throw new AppError('VALIDATION_FAILED', { errors: [problem] });
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ScreenedValidationPipe({
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
