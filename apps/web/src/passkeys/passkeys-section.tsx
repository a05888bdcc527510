import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { AccountSection } from '../account/account-section';
import { ApiError, api, resetCsrfToken, unwrap } from '../api/client';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage, StatusMessage } from '../common/announcement';
import { formatDate } from '../common/format-time';
import { SubmitButton } from '../common/submit-button';
import { TextField } from '../common/text-field';
import { useFormSubmission } from '../common/use-form-submission';
import { RecoveryCodesList } from '../security/recovery-codes-list';
import { createPasskey, passkeyErrorMessage } from './passkey-ceremonies';

export const passkeysQuery = { queryKey: ['passkeys'], queryFn: () => unwrap(api.GET('/api/account/passkeys')) };

/** Passkeys [M-PASSKEY]: add one with a name, see when each was last used, remove one; each change asks for step-up. */
export function PasskeysSection({ onChanged }: { onChanged: () => void }) {
  const { refresh } = useAuth();
  const queryClient = useQueryClient();
  const { data } = useQuery(passkeysQuery);
  const [name, setName] = useState('');
  // The codes a first passkey brings, shown this once [M-RECOVERY].
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const { fields, status, error, pending, setStatus, showErrors, send } = useFormSubmission();

  /** Each change moved this session to a new ID, with a new CSRF token, and signed out the other devices. */
  async function afterChange(message: string) {
    setStatus(message);
    resetCsrfToken();
    await Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: passkeysQuery.queryKey })]);
    onChanged();
  }

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return showErrors({ name: 'Give the passkey a name.' }, 'Give the passkey a name.');
    return send(async () => {
      let added;
      try {
        added = await createPasskey(name.trim());
      } catch (caught) {
        // The server's refusals show as usual; a ceremony cancelled in the browser gets its own words.
        if (caught instanceof ApiError) throw caught;
        return showErrors({}, passkeyErrorMessage(caught));
      }
      setName('');
      setRecoveryCodes(added.recoveryCodes ?? null);
      await afterChange('Passkey added. Your other devices were signed out.');
    });
  };

  const remove = (id: string, passkeyName: string) =>
    send(async () => {
      await api.DELETE('/api/account/passkeys/{id}', { params: { path: { id } } });
      await afterChange(`Passkey “${passkeyName}” removed. Your other devices were signed out.`);
    });

  return (
    <AccountSection title="Passkeys" intro="Sign in with your fingerprint, face or screen lock instead of a password.">
      {recoveryCodes && <RecoveryCodesList codes={recoveryCodes} />}
      {data && data.passkeys.length > 0 ? (
        <ul className="passkey-list" aria-label="Your passkeys">
          {data.passkeys.map((passkey) => (
            <li key={passkey.id} className="passkey-item">
              <div>
                <strong>{passkey.name}</strong>
                <p className="field-hint">
                  Added {formatDate(passkey.createdAt)} · {passkey.lastUsedAt ? `last used ${formatDate(passkey.lastUsedAt)}` : 'never used'}
                </p>
              </div>
              <button type="button" className="button-danger" aria-disabled={pending} onClick={() => remove(passkey.id, passkey.name)}>
                Remove <span className="visually-hidden">{passkey.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p>No passkeys yet.</p>
      )}
      <form onSubmit={add} noValidate className="form" aria-busy={pending}>
        <TextField label="Passkey name" required value={name} onChange={setName} error={fields.name} />
        <ErrorMessage message={error} />
        <SubmitButton pending={pending} pendingLabel="Adding…">
          Add a passkey
        </SubmitButton>
      </form>
      <StatusMessage message={status} />
    </AccountSection>
  );
}
