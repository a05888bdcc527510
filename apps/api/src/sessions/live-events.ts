import { Prisma } from '../generated/prisma/client.js';
import type { SessionEndReason } from '../common/errors/error-codes.js';

/**
 * [D-LIVE] The one NOTIFY channel. Sent inside the transaction that ends or adds a session, so
 * PostgreSQL delivers it after the commit, and never for a rollback. A payload names only the
 * stored hash of a session, its user and the reason: no secret, and far below NOTIFY's 8000 bytes
 * (one notification per ended session; identical ones in a transaction are folded into one).
 */
export const LIVE_CHANNEL = 'sessionkeep_live';

export type LiveNotification = { type: 'ended'; userId: string; sid: string; reason: SessionEndReason } | { type: 'devices'; userId: string };

/**
 * For each row of `rows` (with `sid`, `user_id`, and `reason` unless given): "this session ended".
 * Counts the notifications; a scalar subquery of the statement's own result, so it always runs.
 */
export const notifyEnded = (rows: Prisma.Sql, reason?: SessionEndReason) => Prisma.sql`
  (SELECT count(*) FILTER (WHERE pg_notify(${LIVE_CHANNEL}, json_build_object('type', 'ended', 'userId', user_id, 'sid', sid, 'reason', ${reason === undefined ? Prisma.sql`reason` : Prisma.sql`${reason}`}::text)::text) IS NOT NULL) FROM ${rows})`;

/** For each row of `rows` (with `user_id`): "this user's list of devices changed". */
export const notifyDevices = (rows: Prisma.Sql) => Prisma.sql`
  (SELECT count(*) FILTER (WHERE pg_notify(${LIVE_CHANNEL}, json_build_object('type', 'devices', 'userId', user_id)::text) IS NOT NULL) FROM ${rows})`;

/** Reads a payload of LIVE_CHANNEL; anything else is ignored. */
export function parseLiveNotification(payload: string | undefined): LiveNotification | undefined {
  try {
    const value = JSON.parse(payload ?? '') as Partial<LiveNotification>;
    if (typeof value.userId !== 'string') return undefined;
    if (value.type === 'devices') return { type: 'devices', userId: value.userId };
    if (value.type === 'ended' && typeof value.sid === 'string' && typeof value.reason === 'string') return value as LiveNotification;
  } catch {
    // Not ours.
  }
  return undefined;
}
