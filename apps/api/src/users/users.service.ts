import { Injectable } from '@nestjs/common';
import { EmailVerificationService } from '../email-verification/email-verification.service.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { assertAcceptablePassword } from './password-policy.js';
import { rethrowEmailTaken } from './email-taken.js';
import { PasswordHasher } from './password-hasher.service.js';
import { normalizeEmail, PUBLIC_USER_FIELDS, type PublicUser } from './public-user.js';

@Injectable()
export class UsersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: PasswordHasher,
    private readonly verification: EmailVerificationService,
  ) {}

  async register(input: { email: string; password: string; name: string }): Promise<PublicUser> {
    const email = normalizeEmail(input.email);
    assertAcceptablePassword(input.password, email);
    const passwordHash = await this.hasher.hash(input.password);
    // Never admin by sign-up, whatever the address [A-ADMIN]: see `npm run admin`.
    return this.prisma
      .$transaction(async (tx) => {
        const user = await tx.user.create({ data: { email, name: input.name, passwordHash }, select: PUBLIC_USER_FIELDS });
        await this.verification.sendLink(tx, user.id, email);
        return user;
      })
      .catch(rethrowEmailTaken);
  }

  find(id: string): Promise<PublicUser | null> {
    return this.prisma.user.findUnique({ where: { id }, select: PUBLIC_USER_FIELDS });
  }
}

export { emailTaken, rethrowEmailTaken } from './email-taken.js';
