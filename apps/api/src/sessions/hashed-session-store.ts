import connectPgSimple from 'connect-pg-simple';
import session, { type SessionData, Store } from 'express-session';
import type pg from 'pg';
import { hashSessionId, sessionExpiresAt } from './session-data.js';

type Callback<T = void> = (error?: unknown, value?: T) => void;
type StoredSession = SessionData & { cookie: session.Cookie };

const PgStore = connectPgSimple(session);

/**
 * connect-pg-simple, wrapped so that the database only ever sees SHA-256(session ID): a copy of
 * the table lets nobody in [S-AT-REST]. The row's `expire` is the session's real end (idle or
 * absolute, whichever is first), so an expired session is never loaded [L-IDLE, L-ABS].
 */
export class HashedSessionStore extends Store {
  private readonly inner: InstanceType<typeof PgStore>;

  constructor(
    pool: pg.Pool,
    private readonly idleTimeoutSeconds: number,
  ) {
    super();
    // The table comes from a migration; pruning (with tombstones) is SessionPruner's job.
    this.inner = new PgStore({ pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: false });
  }

  override get(sid: string, callback: Callback<StoredSession | null>): void {
    this.inner.get(hashSessionId(sid), (error, stored) => {
      if (error || !stored) return callback(error, null);
      // The stored expiry is for the table; the browser keeps a session cookie with no Expires.
      const { cookie, ...data } = stored as StoredSession;
      callback(null, { ...data, cookie: { ...cookie, expires: undefined } } as StoredSession);
    });
  }

  override set(sid: string, data: StoredSession, callback?: Callback): void {
    const expires = new Date(sessionExpiresAt(data, this.idleTimeoutSeconds));
    this.inner.set(hashSessionId(sid), { ...data, cookie: { ...data.cookie, expires } as session.Cookie }, callback);
  }

  override destroy(sid: string, callback?: Callback): void {
    this.inner.destroy(hashSessionId(sid), callback);
  }

  /**
   * express-session calls this on every request that did not change the session. The stock store
   * writes each time; here last-active is written by trackActivity() at most once a minute [L-TOUCH].
   */
  override touch(_sid: string, _data: StoredSession, callback?: Callback): void {
    callback?.();
  }
}
