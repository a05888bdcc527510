import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { DeviceSession, SessionsResponse } from '../api/types';
import { errorMessage } from '../common/error-message';

export type SessionsState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; sessions: DeviceSession[]; loadedAt: number };

const currentFirst = (a: DeviceSession, b: DeviceSession) => Number(b.current) - Number(a.current);

/** The user's sessions, loaded on mount and again whenever the window regains focus. */
export function useSessions() {
  const [state, setState] = useState<SessionsState>({ status: 'loading' });
  const inFlight = useRef<Promise<void> | null>(null);

  const load = useCallback(() => {
    inFlight.current ??= api
      .get<SessionsResponse>('/sessions')
      .then(({ sessions }) => setState({ status: 'ready', sessions: sessions.toSorted(currentFirst), loadedAt: Date.now() }))
      // A failed background refresh keeps the list on screen; only a first load shows the error.
      .catch((error: unknown) =>
        setState((current) => (current.status === 'ready' ? current : { status: 'error', message: errorMessage(error) })),
      )
      .finally(() => {
        inFlight.current = null;
      });
    return inFlight.current;
  }, []);

  useEffect(() => {
    void load();
    const reloadWhenVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    window.addEventListener('focus', reloadWhenVisible);
    document.addEventListener('visibilitychange', reloadWhenVisible);
    return () => {
      window.removeEventListener('focus', reloadWhenVisible);
      document.removeEventListener('visibilitychange', reloadWhenVisible);
    };
  }, [load]);

  const updateSessions = useCallback((update: (sessions: DeviceSession[]) => DeviceSession[]) => {
    setState((current) => (current.status === 'ready' ? { ...current, sessions: update(current.sessions) } : current));
  }, []);

  return { state, reload: load, updateSessions };
}
