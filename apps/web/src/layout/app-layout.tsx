import { useState } from 'react';
import { Link, NavLink, Outlet } from 'react-router';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage } from '../common/announcement';
import { VerifiedUntil } from './verified-until';
import './layout.css';

export function AppLayout() {
  const { user, session, signOut } = useAuth();
  const [error, setError] = useState<string | null>(null);

  function handleSignOut() {
    setError(null);
    signOut().catch(() => setError('Could not sign out. Check your connection and try again.'));
  }

  return (
    <>
      <header className="app-header">
        <div className="app-header-inner">
          <Link to="/" className="brand">
            Sessionkeep
          </Link>
          <nav aria-label="Main" className="main-nav">
            <NavLink to="/" end>
              Home
            </NavLink>
            <NavLink to="/sessions">Devices</NavLink>
            <NavLink to="/activity">Activity</NavLink>
            <NavLink to="/account">Account</NavLink>
            <NavLink to="/security">Security</NavLink>
            {user?.role === 'admin' && <NavLink to="/admin">Admin</NavLink>}
          </nav>
          <div className="user-status">
            <span className="user-name">{user?.name}</span>
            <VerifiedUntil expiresAt={session?.stepUpExpiresAt ?? null} />
          </div>
          <button type="button" className="button-secondary sign-out" onClick={handleSignOut}>
            Sign out
          </button>
        </div>
        <ErrorMessage message={error} />
      </header>
      <main className="page">
        {user && !user.emailVerified && (
          <p className="message message-info verify-banner">
            Confirm your email address: open the link we sent to <strong>{user.email}</strong>.
          </p>
        )}
        <Outlet />
      </main>
    </>
  );
}
