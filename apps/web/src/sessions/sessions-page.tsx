import { useState } from 'react';
import { ApiError, api } from '../api/client';
import type { DeviceSession, RevokedResponse } from '../api/types';
import { ErrorMessage, StatusMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { deviceName } from './device-name';
import { SessionCard } from './session-card';
import { useSessions } from './use-sessions';
import './sessions.css';

export function SessionsPage() {
  const { state, reload, updateSessions } = useSessions();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revokingOthers, setRevokingOthers] = useState(false);

  function announce(next: { status?: string; error?: string }) {
    setStatus(next.status ?? null);
    setError(next.error ?? null);
  }

  async function revoke(session: DeviceSession) {
    if (state.status !== 'ready') return;
    const name = deviceName(session);
    const index = state.sessions.indexOf(session);
    announce({});
    // Optimistic: the card goes at once (the step-up dialog may open meanwhile) and comes back on failure.
    updateSessions((sessions) => sessions.filter((s) => s.id !== session.id));
    try {
      await api.delete(`/sessions/${encodeURIComponent(session.id)}`);
      // A remembered device without a session is not signed in; what ends is its way back in.
      announce({ status: session.active ? `Signed out ${name}.` : `${name} is no longer remembered.` });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'NOT_FOUND') {
        announce({ status: `${name} was already signed out.` });
        return;
      }
      updateSessions((sessions) =>
        sessions.some((s) => s.id === session.id) ? sessions : sessions.toSpliced(index, 0, session),
      );
      announce({ error: `Could not sign out ${name}. ${errorMessage(caught)}` });
    }
  }

  async function revokeOthers() {
    if (revokingOthers) return;
    announce({});
    setRevokingOthers(true);
    try {
      const { revoked } = await api.post<RevokedResponse>('/sessions/revoke-others');
      updateSessions((sessions) => sessions.filter((s) => s.current));
      announce({ status: `Signed out ${revoked} other ${revoked === 1 ? 'device' : 'devices'}.` });
    } catch (caught) {
      announce({ error: errorMessage(caught) });
    } finally {
      setRevokingOthers(false);
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
        <button type="button" className="button-danger" onClick={revokeOthers} aria-disabled={revokingOthers}>
          Log out other devices
        </button>
      </div>
      <StatusMessage message={status} />
      <ErrorMessage message={error} />
      {state.status === 'loading' && <p className="page-status">Loading your devices…</p>}
      {state.status === 'error' && (
        <div className="card empty-state">
          <p>Could not load your devices. {state.message}</p>
          <button type="button" onClick={() => void reload()}>
            Try again
          </button>
        </div>
      )}
      {state.status === 'ready' && (
        <>
          <ul aria-label="Signed-in devices" className="session-list">
            {state.sessions.map((session) => (
              <SessionCard key={session.id} session={session} now={state.loadedAt} onRevoke={revoke} />
            ))}
          </ul>
          {state.sessions.every((session) => session.current) && (
            <p className="empty-state">Only this device is signed in.</p>
          )}
        </>
      )}
    </>
  );
}
