import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/error-codes.js';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { assertAcceptablePassword } from './password-policy.js';
import { PasswordHasher } from './password-hasher.service.js';
import { normalizeEmail, PUBLIC_USER_FIELDS, type PublicUser } from './public-user.js';

@Injectable()
export class UsersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: PasswordHasher,
  ) {}

  async register(input: { email: string; password: string; name: string }): Promise<PublicUser> {
    const email = normalizeEmail(input.email);
    assertAcceptablePassword(input.password, email);
    const passwordHash = await this.hasher.hash(input.password);
    // Never admin by sign-up, whatever the address [A-ADMIN]: see `npm run admin`.
    return this.prisma.user
      .create({ data: { email, name: input.name, passwordHash }, select: PUBLIC_USER_FIELDS })
      .catch(rethrowEmailTaken);
  }

  find(id: string): Promise<PublicUser | null> {
    return this.prisma.user.findUnique({ where: { id }, select: PUBLIC_USER_FIELDS });
  }
}

/** Registering (and changing email) is where "this email exists" cannot be hidden; it is a 409. */
export function rethrowEmailTaken(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
    throw new AppError('EMAIL_TAKEN', { errors: [{ field: 'email', message: 'An account with this email already exists.' }] });
  }
  throw error;
}
