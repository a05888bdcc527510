import { createHash } from 'node:crypto';
import type pg from 'pg';
import { BENCH_USER_AGENT } from './http-client.js';

/** Every bench user has this many sessions, at 1,000 rows as at 1,000,000 (the app's default limit is 10). */
export const SESSIONS_PER_USER = 10;

/**
 * Rows are numbered so the bench can name any of them without asking the database: session g
 * has sid SHA-256("bench-session-g") (hex, like the store's hashed IDs) and belongs to user
 * floor(g / SESSIONS_PER_USER), whose id is MD5("bench-user-n") as a UUID.
 */
export const sessionIdOf = (g: number): string => createHash('sha256').update(`bench-session-${g}`).digest('hex');

export function userIdOf(n: number): string {
  const hex = createHash('md5').update(`bench-user-${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Users [from, to): real rows, since a session's generated user_id references users(id). */
export async function insertUsers(client: pg.Client, from: number, to: number): Promise<void> {
  await client.query(
    `INSERT INTO users (id, email, name, password_hash)
     SELECT md5('bench-user-' || n)::uuid, 'bench-user-' || n || '@example.test', 'Bench user ' || n, 'not-a-real-hash'
     FROM generate_series($1::int, $2::int - 1) AS n`,
    [from, to],
  );
}

/**
 * Sessions [from, to), shaped like the app's own rows. user_id and remember_series_id are
 * GENERATED from sess and never inserted. Every session expires 1–2 hours from now.
 */
export async function insertSessions(client: pg.Client, from: number, to: number): Promise<void> {
  await client.query(
    `INSERT INTO session (sid, sess, expire)
     SELECT encode(sha256(convert_to('bench-session-' || g, 'UTF8')), 'hex'),
            json_build_object(
              'cookie', json_build_object('originalMaxAge', null, 'expires', s.expire, 'secure', true, 'httpOnly', true, 'path', '/', 'sameSite', 'lax'),
              'csrfToken', encode(sha256(convert_to('bench-csrf-' || g, 'UTF8')), 'base64'),
              'createdAt', t.now_ms, 'lastActiveAt', t.now_ms, 'absoluteExpiresAt', t.now_ms + 43200000,
              'userId', md5('bench-user-' || (g / ${SESSIONS_PER_USER}))::uuid, 'role', 'user',
              'authenticatedAt', t.now_ms, 'reauthenticatedAt', t.now_ms, 'remembered', false,
              'ip', '127.0.0.1', 'userAgent', $3::text, 'location', null,
              'fingerprint', json_build_object('network', '127.0.0.0/24', 'browser', 'Chrome')),
            s.expire
     FROM generate_series($1::int, $2::int - 1) AS g
     CROSS JOIN (SELECT (extract(epoch FROM now()) * 1000)::bigint AS now_ms) AS t
     CROSS JOIN LATERAL (SELECT now() + interval '1 hour' + (g % 3600) * interval '1 second' AS expire) AS s`,
    [from, to, BENCH_USER_AGENT],
  );
}
