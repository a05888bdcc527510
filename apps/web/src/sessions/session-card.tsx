import { useId } from 'react';
import type { Schemas } from '../api/client';
import { displayIp } from '../common/display-ip';
import { formatDate, formatDateTime, formatRelative } from '../common/format-time';
import { DeviceIcon } from './device-icon';
import { deviceName } from './device-name';

const SIGN_IN_METHODS: Record<NonNullable<Schemas['Device']['signInMethod']>, string> = {
  password: 'with a password',
  password_totp: 'with a password and an authenticator code',
  password_recovery_code: 'with a password and a recovery code',
  password_passkey: 'with a password and a passkey',
  passkey: 'with a passkey',
  remember_me: 'automatically (remembered device)',
};

interface SessionCardProps {
  session: Schemas['Device'];
  /** When the list was loaded; "last active" is relative to it. */
  now: number;
  onRevoke: (session: Schemas['Device']) => void;
}

export function SessionCard({ session, now, onRevoke }: SessionCardProps) {
  const titleId = useId();
  const currentId = useId();
  const address = [session.ip && displayIp(session.ip), session.location].filter(Boolean).join(' · ');

  return (
    <li
      className={session.active ? 'card session-card' : 'card session-card session-card-inactive'}
      aria-labelledby={session.current ? `${titleId} ${currentId}` : titleId}
    >
      <DeviceIcon deviceType={session.deviceType} />
      <div className="session-details">
        <div className="session-heading">
          <h2 id={titleId} className="session-title">
            {deviceName(session)}
          </h2>
          {session.current && (
            <span id={currentId} className="badge badge-current">
              This device
            </span>
          )}
          {!session.active ? (
            <span className="badge">Remembered · not active now</span>
          ) : (
            session.remembered && <span className="badge">Remembered</span>
          )}
        </div>
        <p className="session-meta">{address || 'Unknown address'}</p>
        <p className="session-meta">
          Signed in{session.signInMethod && ` ${SIGN_IN_METHODS[session.signInMethod]}`}{' '}
          <time dateTime={session.createdAt}>{formatDateTime(session.createdAt)}</time>
          {' · '}
          {/* A remembered device without a session was last seen when its remember-me was last used. */}
          {session.active ? 'Last active' : 'Last used'}{' '}
          <time dateTime={session.lastActiveAt} title={formatDateTime(session.lastActiveAt)}>
            {formatRelative(session.lastActiveAt, now)}
          </time>
        </p>
        {session.rememberedUntil && (
          <p className="session-meta">
            Remembered until{' '}
            <time dateTime={session.rememberedUntil} title={formatDateTime(session.rememberedUntil)}>
              {formatDate(session.rememberedUntil)}
            </time>
          </p>
        )}
      </div>
      {!session.current && (
        <button type="button" className="button-secondary" aria-describedby={titleId} onClick={() => onRevoke(session)}>
          Revoke
        </button>
      )}
    </li>
  );
}
