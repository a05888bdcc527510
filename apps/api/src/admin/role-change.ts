import type { ClientContext } from '../common/client-context.js';
import type { Role } from '../generated/prisma/enums.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { SecurityEventsService } from '../security-events/security-events.service.js';

/**
 * Gives a user a role and records `role_changed` in the caller's transaction, so a role never
 * changes unrecorded [A-EVENTS]. Only an actual change counts: of two racing grants (parallel
 * link clicks, two instances booting) one updates the row and records, the other finds the role
 * already set and records nothing. Live sessions move to a new ID on their next request [U-PRIVILEGE].
 */
export async function changeRole(
  tx: Prisma.TransactionClient,
  events: SecurityEventsService,
  change: { userId: string; role: Role; by: string; client?: ClientContext },
): Promise<boolean> {
  const { count } = await tx.user.updateMany({ where: { id: change.userId, role: { not: change.role } }, data: { role: change.role } });
  if (count === 0) return false;
  await events.record('role_changed', change.userId, change.client, { role: change.role, by: change.by }, { tx });
  return true;
}
