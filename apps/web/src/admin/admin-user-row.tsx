import { useId } from 'react';
import type { Schemas } from '../api/client';

interface AdminUserRowProps {
  user: Schemas['AdminUser'];
  busy: boolean;
  onChangeRole: (user: Schemas['AdminUser'], role: Schemas['Role']) => void;
  onRevokeSessions: (user: Schemas['AdminUser']) => void;
}

export function AdminUserRow({ user, busy, onChangeRole, onRevokeSessions }: AdminUserRowProps) {
  const roleId = useId();
  return (
    <tr>
      <th scope="row">{user.name}</th>
      <td className="cell-email">{user.email}</td>
      <td>
        <label htmlFor={roleId} className="visually-hidden">
          Schemas['Role'] for {user.name}
        </label>
        <select
          id={roleId}
          value={user.role}
          aria-disabled={busy}
          onChange={(event) => onChangeRole(user, event.target.value as Schemas['Role'])}
        >
          <option value="user">User</option>
          <option value="admin">Admin</option>
        </select>
      </td>
      <td className="cell-number">{user.activeSessions}</td>
      <td>
        <button
          type="button"
          className="button-secondary"
          aria-disabled={busy}
          onClick={() => onRevokeSessions(user)}
        >
          Revoke all sessions
        </button>
      </td>
    </tr>
  );
}
