import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useAuth } from './use-auth';

/** Protected by default: every screen under this element needs a signed-in user. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state, refresh } = useAuth();
  const location = useLocation();

  if (state.status === 'loading') return <p className="page-status">Loading…</p>;
  if (state.status === 'unavailable') {
    return (
      <div className="page-status" role="alert">
        <p>Sessionkeep is unavailable right now.</p>
        <button type="button" onClick={() => void refresh()}>
          Try again
        </button>
      </div>
    );
  }
  if (state.status === 'signed-out') {
    const returnTo = encodeURIComponent(location.pathname + location.search + location.hash);
    return <Navigate to={state.redirectTo ?? `/sign-in?returnTo=${returnTo}`} replace />;
  }
  return children;
}
