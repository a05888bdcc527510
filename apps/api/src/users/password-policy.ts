import { AppError } from '../common/errors/error-codes.js';
import { normalizeEmail } from './public-user.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Length over composition rules (NIST SP 800-63B), and never the email itself. */
export function assertAcceptablePassword(password: string, email: string, field = 'password'): void {
  if (normalizeEmail(password) === normalizeEmail(email)) {
    throw new AppError('VALIDATION_FAILED', { errors: [{ field, message: 'password must not be your email address' }] });
  }
}
