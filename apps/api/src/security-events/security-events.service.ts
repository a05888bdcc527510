import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ClientContext } from '../common/client-context.js';
import { LOGGER } from '../common/logger.js';
import type { SecurityEventType } from '../generated/prisma/enums.js';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';

/** What the admins' security feed shows: possible hijacking, theft, guessing attacks and admins' own actions. */
export const ADMIN_FEED_TYPES = ['suspicious_session_ended', 'remember_me_theft', 'passkey_counter_regressed', 'sign_in_throttled', 'role_changed', 'session_revoked'] as const satisfies SecurityEventType[];

function isForAdmins(type: SecurityEventType, details: Prisma.InputJsonObject | undefined): boolean {
  // A user ending their own sessions is their business; an admin ending someone's is the admins'.
  if (type === 'session_revoked') return details?.by !== undefined;
  return (ADMIN_FEED_TYPES as readonly SecurityEventType[]).includes(type);
}

/** [A-EVENTS] Security events are stored per user for the timeline and logged as structured JSON. */
@Injectable()
export class SecurityEventsService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * `client` is who caused it; none for a job's or an emailed link's own doing. `device` names a
   * sign-in's device for new-device alerts [E-NOTIFY]. `tx` makes it part of the change it records,
   * so the two commit or fail together: an event insert that fails after a committed sign-in,
   * restore or password change would otherwise fail the response that carries the device's new
   * cookie, and a remembered device left holding a rotated-away validator would later be taken for
   * a thief [R-THEFT].
   */
  async record(
    type: SecurityEventType,
    userId: string | undefined,
    client: ClientContext | undefined,
    details?: Prisma.InputJsonObject,
    { tx, device }: { tx?: Prisma.TransactionClient; device?: string } = {},
  ): Promise<void> {
    const ip = client?.ip ?? null;
    const userAgent = client?.userAgent ?? null;
    // Where it came from, as the timeline shows it [D-LOCATION]: LOCATION_HEADER, else GeoIP.
    const location = client?.location ?? null;
    // Without an account (a failed sign-in for an unknown email) there is no timeline to add to.
    if (userId) await (tx ?? this.prisma).securityEvent.create({ data: { type, userId, ip, userAgent, location, details, device, adminFeed: isForAdmins(type, details) } });
    this.logger.info({ securityEvent: type, userId, ip, userAgent, location, ...details }, `security event: ${type}`);
  }

  /** Records without making the response wait, where waiting would make timing depend on the account. */
  recordInBackground(type: SecurityEventType, userId: string | undefined, client: ClientContext, details?: Prisma.InputJsonObject): void {
    this.record(type, userId, client, details).catch((err: unknown) => this.logger.error({ err, securityEvent: type }, 'could not store a security event'));
  }
}
