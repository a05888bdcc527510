import { useEffect, useState } from 'react';
import { ApiError, api } from '../api/client';
import type { AdminUser, AdminUsersResponse, RevokedResponse, Role, UserResponse } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorMessage, StatusMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { AdminUserRow } from './admin-user-row';
import { SecurityFeed } from './security-feed';
import './admin.css';

type UsersState =
  | { status: 'loading' }
  | { status: 'failed'; message: string; forbidden: boolean }
  | { status: 'ready'; users: AdminUser[] };

export function AdminPage() {
  const { user: me, refresh } = useAuth();
  const [state, setState] = useState<UsersState>({ status: 'loading' });
  const [busyUserId, setBusyUserId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<AdminUsersResponse>('/admin/users')
      .then(({ users }) => setState({ status: 'ready', users }))
      .catch((caught: unknown) => {
        const forbidden = caught instanceof ApiError && caught.code === 'FORBIDDEN';
        setState({
          status: 'failed',
          message: forbidden ? 'You need admin rights for this page.' : errorMessage(caught),
          forbidden,
        });
      });
  }, []);

  function updateUser(id: string, changes: Partial<AdminUser>) {
    setState((current) =>
      current.status === 'ready'
        ? { ...current, users: current.users.map((user) => (user.id === id ? { ...user, ...changes } : user)) }
        : current,
    );
  }

  async function act(user: AdminUser, action: () => Promise<string>) {
    if (busyUserId) return;
    setBusyUserId(user.id);
    setStatus(null);
    setError(null);
    try {
      setStatus(await action());
    } catch (caught) {
      setError(`Could not update ${user.name}. ${errorMessage(caught)}`);
    } finally {
      setBusyUserId(null);
    }
  }

  const changeRole = (user: AdminUser, role: Role) =>
    act(user, async () => {
      const { user: updated } = await api.patch<UserResponse>(`/admin/users/${encodeURIComponent(user.id)}/role`, { role });
      updateUser(user.id, { role: updated.role });
      // Demoting yourself takes effect at once: reload who we are so the Admin link goes away.
      if (user.id === me?.id) await refresh();
      return `${updated.name} is now ${updated.role === 'admin' ? 'an admin' : 'a user'}.`;
    });

  const revokeSessions = (user: AdminUser) =>
    act(user, async () => {
      const { revoked } = await api.post<RevokedResponse>(`/admin/users/${encodeURIComponent(user.id)}/revoke-sessions`);
      updateUser(user.id, { activeSessions: 0 });
      return `Signed out ${revoked} ${revoked === 1 ? 'session' : 'sessions'} of ${user.name}.`;
    });

  // A non-admin is told once, by the users list, rather than by every section.
  const forbidden = state.status === 'failed' && state.forbidden;

  return (
    <>
      <h1>Admin</h1>
      <StatusMessage message={status} />
      <ErrorMessage message={state.status === 'failed' ? state.message : error} />
      {!forbidden && <h2>Users</h2>}
      {state.status === 'loading' && <p className="page-status">Loading users…</p>}
      {state.status === 'ready' && (
        <div className="card table-wrapper">
          <table className="admin-table">
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Active sessions</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {state.users.map((user) => (
                <AdminUserRow
                  key={user.id}
                  user={user}
                  busy={busyUserId === user.id}
                  onChangeRole={changeRole}
                  onRevokeSessions={revokeSessions}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!forbidden && <SecurityFeed />}
    </>
  );
}
