import { Transform } from 'class-transformer';
import type { Role } from '../generated/prisma/enums.js';

/** What the API ever says about a user. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** A link sent to `email` has been used [E-VERIFY]. */
  emailVerified: boolean;
}

export const PUBLIC_USER_FIELDS = { id: true, email: true, name: true, role: true, emailVerified: true } as const;

/** One account per address, whatever case or spacing it was typed with. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** DTO field transform: normalizes strings, leaves anything else for the validators to refuse. */
export const NormalizedEmail = () => Transform(({ value }) => (typeof value === 'string' ? normalizeEmail(value) : value));

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    /** Set by the session guard from the database on each request, never from the session [U-PRIVILEGE]. */
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends PublicUser {}
  }
}
