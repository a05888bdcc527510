import { AppError } from '../common/errors/error-codes.js';
import { Prisma } from '../generated/prisma/client.js';

/** Registering (and changing email) is where "this email exists" cannot be hidden; it is a 409. */
export function rethrowEmailTaken(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    throw emailTaken();
  }
  throw error;
}

export const emailTaken = () => new AppError('EMAIL_TAKEN', { errors: [{ field: 'email', message: 'An account with this email already exists.' }] });
