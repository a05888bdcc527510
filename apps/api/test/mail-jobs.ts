import type { PrismaService } from '../src/prisma/prisma.service.js';

/** The queue's own view: each mail job's state, and whether an attempt has failed (pg-boss keeps the error as its output). */
export const mailJobStates = (prisma: Pick<PrismaService, '$queryRawUnsafe'>) =>
  prisma.$queryRawUnsafe<Array<{ state: string; failed: boolean }>>(`SELECT state::text, output IS NOT NULL AS failed FROM pgboss.job WHERE name = 'mail'`);
