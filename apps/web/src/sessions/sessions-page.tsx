import { useState } from 'react';
import { ApiError, type Schemas } from '../api/client';
import { ErrorMessage, StatusMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { GeoCredit } from '../common/geo-credit';
import { deviceName } from './device-name';
import { SessionCard } from './session-card';
import { useRevokeOtherSessions, useRevokeSession, useSessions } from './use-sessions';
import './sessions.css';

export function SessionsPage() {
  const { data: sessions, error: loadError, dataUpdatedAt, refetch } = useSessions();
  const revokeSession = useRevokeSession();
  const revokeOtherSessions = useRevokeOtherSessions();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function announce(next: { status?: string; error?: string }) {
    setStatus(next.status ?? null);
    setError(next.error ?? null);
  }

  async function revoke(session: Schemas['Device']) {
    const name = deviceName(session);
    announce({});
    try {
      await revokeSession.mutateAsync(session);
      // A remembered device without a session is not signed in; what ends is its way back in.
      announce({ status: session.active ? `Signed out ${name}.` : `${name} is no longer remembered.` });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'NOT_FOUND') announce({ status: `${name} was already signed out.` });
      else announce({ error: `Could not sign out ${name}. ${errorMessage(caught)}` });
    }
  }

  async function revokeOthers() {
    if (revokeOtherSessions.isPending) return;
    announce({});
    try {
      const { revoked } = await revokeOtherSessions.mutateAsync();
      announce({ status: `Signed out ${revoked} other ${revoked === 1 ? 'device' : 'devices'}.` });
    } catch (caught) {
      announce({ error: errorMessage(caught) });
    }
  }

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Devices &amp; sessions</h1>
          <p className="lead">
            These devices are signed in to your account, or remembered and able to sign back in by themselves. If
            you do not recognise one, revoke it and change your password.
          </p>
        </div>
        {/* Always offered: other devices may still hold remember-me tokens even when no session is listed. */}
        <button type="button" className="button-danger" onClick={revokeOthers} aria-disabled={revokeOtherSessions.isPending}>
          Log out other devices
        </button>
      </div>
      <StatusMessage message={status} />
      <ErrorMessage message={error} />
      {/* A failed background refresh keeps the list on screen; only a failed first load shows the error. */}
      {!sessions && !loadError && <p className="page-status">Loading your devices…</p>}
      {!sessions && loadError && (
        <div className="card empty-state">
          <p>Could not load your devices. {errorMessage(loadError)}</p>
          <button type="button" onClick={() => void refetch()}>
            Try again
          </button>
        </div>
      )}
      {sessions && (
        <>
          <ul aria-label="Signed-in devices" className="session-list">
            {sessions.map((session) => (
              <SessionCard key={session.id} session={session} now={dataUpdatedAt} onRevoke={revoke} />
            ))}
          </ul>
          {sessions.every((session) => session.current) && <p className="empty-state">Only this device is signed in.</p>}
          <GeoCredit items={sessions} />
        </>
      )}
    </>
  );
}
