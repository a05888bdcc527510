import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate } from 'react-router';
import { ApiError, api, unwrap, type Schemas } from '../api/client';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage, StatusMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { AdminUserRow } from './admin-user-row';
import { SecurityFeed } from './security-feed';
import './admin.css';

const usersKey = ['admin', 'users'] as const;

/** One action on one user's row; it resolves to the sentence that says what it did. */
interface UserAction {
  user: Schemas['AdminUser'];
  run: () => Promise<string>;
}

export function AdminPage() {
  const { user: me, refresh } = useAuth();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: usersKey, queryFn: () => unwrap(api.GET('/api/admin/users')) });
  const action = useMutation({ mutationFn: ({ run }: UserAction) => run() });

  function updateUser(id: string, changes: Partial<Schemas['AdminUser']>) {
    queryClient.setQueryData<Schemas['AdminUserList']>(usersKey, (current) =>
      current && { users: current.users.map((user) => (user.id === id ? { ...user, ...changes } : user)) },
    );
  }

  const act = (user: Schemas['AdminUser'], run: () => Promise<string>) => {
    if (!action.isPending) action.mutate({ user, run });
  };

  const changeRole = (user: Schemas['AdminUser'], role: Schemas['Role']) =>
    act(user, async () => {
      const { user: updated } = await unwrap(
        api.PATCH('/api/admin/users/{id}/role', { params: { path: { id: user.id } }, body: { role } }),
      );
      updateUser(user.id, { role: updated.role });
      // Demoting yourself takes effect at once: reload who we are so the Admin link goes away.
      if (user.id === me?.id) await refresh();
      return `${updated.name} is now ${updated.role === 'admin' ? 'an admin' : 'a user'}.`;
    });

  const revokeSessions = (user: Schemas['AdminUser']) =>
    act(user, async () => {
      const { revoked } = await unwrap(
        api.POST('/api/admin/users/{id}/revoke-sessions', { params: { path: { id: user.id } } }),
      );
      updateUser(user.id, { activeSessions: 0 });
      return `Signed out ${revoked} ${revoked === 1 ? 'session' : 'sessions'} of ${user.name}.`;
    });

  // A non-admin is told once, by the users list, rather than by every section.
  const forbidden = users.error instanceof ApiError && users.error.code === 'FORBIDDEN';
  // REQUIRE_MFA_FOR_ADMINS: an admin without a second factor is sent to set one up [M-CHANGE].
  if (users.error instanceof ApiError && users.error.code === 'MFA_ENROLMENT_REQUIRED') return <Navigate to="/security?required=admin" replace />;
  const usersError = forbidden ? 'You need admin rights for this page.' : users.error && errorMessage(users.error);
  const actionError = action.error && `Could not update ${action.variables?.user.name}. ${errorMessage(action.error)}`;

  return (
    <>
      <h1>Admin</h1>
      <StatusMessage message={action.data ?? null} />
      <ErrorMessage message={usersError || actionError} />
      {!forbidden && <h2>Users</h2>}
      {users.isPending && <p className="page-status">Loading users…</p>}
      {users.data && (
        <div className="card table-wrapper">
          <table className="admin-table">
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Schemas['Role']</th>
                <th scope="col">Active sessions</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.data.users.map((user) => (
                <AdminUserRow
                  key={user.id}
                  user={user}
                  busy={action.isPending && action.variables.user.id === user.id}
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
