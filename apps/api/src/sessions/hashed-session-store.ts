import connectPgSimple from 'connect-pg-simple';
import type { Request } from 'express';
import session, { type SessionData, Store } from 'express-session';
import type pg from 'pg';
import type { PublicUser } from '../users/public-user.js';
import { hashSessionId, rememberSessionHash, sessionExpiresAt } from './session-data.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;
export type StoredSession = SessionData & { cookie: session.Cookie };

/** Carries the user row from get() to createSession(); JSON and express-session's copy skip symbols. */
const LOADED_USER = Symbol('loadedUser');
/** Carries the ID get() was given and its hash to createSession(), so the request does not hash its ID again. */
const LOADED_HASH = Symbol('loadedHash');
/** The JSON last written for a session object, so express-session's closing save of it is no second write. */
const WRITTEN = Symbol('written');
type LoadedSession = StoredSession & { [LOADED_USER]?: PublicUser | null; [LOADED_HASH]?: { sid: string; hash: string } };
type LoadedRow = { sess: StoredSession; id: string | null; email: string; name: string; role: PublicUser['role']; emailVerified: boolean };

/** The one query of an authenticated request. The bench's ceiling route runs exactly this. */
export const SESSION_WITH_USER = `
  SELECT s.sess, u.id, u.email, u.name, u.role, u.email_verified AS "emailVerified"
  FROM session s LEFT JOIN users u ON u.id = s.user_id
  WHERE s.sid = $1 AND s.expire >= now()`;

/**
 * The statement as the store sends it, for the stored hash of a session ID: a named (prepared)
 * statement, so each pooled connection parses and plans it once and then only binds and executes.
 * Still one round trip, still read on every request.
 */
export function sessionQuery(sessionHash: string): pg.QueryConfig<[string]> {
  return { name: 'sessionkeep_session_with_user', text: SESSION_WITH_USER, values: [sessionHash] };
}
type WrittenSession = { [WRITTEN]?: string };

const PgStore = connectPgSimple(session);

/** The row's `sess` and `expire`: the real end (idle or absolute, whichever is first) [L-IDLE, L-ABS]. */
export function sessionRow(data: StoredSession, idleTimeoutSeconds: number): { sess: string; expire: Date } {
  const expire = new Date(sessionExpiresAt(data, idleTimeoutSeconds));
  return { sess: JSON.stringify({ ...data, cookie: { ...data.cookie, expires: expire } }), expire };
}

/** Records that `data`, as it is now, is what the row holds. */
export function markWritten(data: object): void {
  (data as WrittenSession)[WRITTEN] = JSON.stringify(data);
}

/**
 * connect-pg-simple's table and store, wrapped so that the database only ever sees SHA-256(session
 * ID): a copy of the table lets nobody in [S-AT-REST]. An expired row is never loaded.
 *
 * The wrapper never creates a row: connect-pg-simple's set() is an upsert, which would write an
 * ended session back. set() here only UPDATEs a row that still exists, so a write decided
 * before an end (a request in flight while its session is signed out, revoked or evicted) finds
 * no row and brings nothing back [L-FINAL]. Rows are inserted by SessionsService.insertAt() alone,
 * for an ID minted in that request, in the transaction that checks the user may still sign in.
 *
 * Reading is one query for the session and its user's current row, so each authenticated request
 * costs one round trip while roles still come from the database, never from the session [U-PRIVILEGE].
 *
 * No touch(): express-session calls a store's touch() on every request that did not change the
 * session, after hashing the session once more to find that out. Stock stores write there; here
 * last-active is written by touchSession() at most once a minute [L-TOUCH], through set().
 */
export class HashedSessionStore extends Store {
  private readonly inner: InstanceType<typeof PgStore>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly idleTimeoutSeconds: number,
  ) {
    super();
    // The table comes from a migration; pruning (with tombstones) is SessionPruner's job.
    this.inner = new PgStore({ pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: false });
  }

  override get(sid: string, callback: Callback<StoredSession | null>): void {
    const hash = hashSessionId(sid);
    this.pool.query<LoadedRow>(sessionQuery(hash)).then(({ rows: [row] }) => {
      if (!row) return callback(null, null);
      const { id, email, name, role, emailVerified } = row;
      // The stored expiry is for the table; the browser keeps a session cookie with no Expires.
      const loaded: LoadedSession = { ...row.sess, cookie: { ...row.sess.cookie, expires: undefined } as session.Cookie };
      loaded[LOADED_USER] = id ? { id, email, name, role, emailVerified } : null;
      loaded[LOADED_HASH] = { sid, hash };
      callback(null, loaded);
    }, callback);
  }

  override createSession(req: Request, data: LoadedSession) {
    req.sessionUser = data[LOADED_USER];
    const loadedHash = data[LOADED_HASH];
    // Remembered for the ID it is the hash of; sessionHashOf() uses it only while req.sessionID is that ID.
    if (loadedHash) rememberSessionHash(req, loadedHash.sid, loadedHash.hash);
    return super.createSession(req, data);
  }

  /** Updates the row if it still exists; never inserts [L-FINAL]. */
  override set(sid: string, data: StoredSession, callback?: Callback): void {
    if ((data as WrittenSession)[WRITTEN] === JSON.stringify(data)) return void callback?.();
    const { sess, expire } = sessionRow(data, this.idleTimeoutSeconds);
    this.pool.query('UPDATE session SET sess = $2, expire = $3 WHERE sid = $1', [hashSessionId(sid), sess, expire]).then(
      () => callback?.(),
      (error: unknown) => callback?.(error),
    );
  }

  /** Ending a session goes through SessionsService, which leaves a tombstone; this serves express-session's API. */
  override destroy(sid: string, callback?: Callback): void {
    this.inner.destroy(hashSessionId(sid), callback);
  }
}
