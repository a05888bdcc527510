import { useState, type FormEvent } from 'react';
import { api, resetCsrfToken } from '../api/client';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage, StatusMessage } from '../common/announcement';
import { TextField } from '../common/text-field';
import { SubmitButton } from '../common/submit-button';
import { clearIfUnchanged, useFormSubmission } from '../common/use-form-submission';
import { AccountSection } from './account-section';

export function ChangePasswordForm() {
  const { user, refresh } = useAuth();
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { fields, status, error, pending, setStatus, showErrors, send } = useFormSubmission();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    if (newPassword !== confirmation) {
      showErrors({ confirmation: 'The passwords do not match.' }, 'Check the highlighted fields.');
      return;
    }
    const submitted = { newPassword, confirmation };
    await send(async () => {
      await api.POST('/api/account/password', { body: { newPassword: submitted.newPassword } });
      // The server gives this session a new ID, so its CSRF token changes too.
      resetCsrfToken();
      setNewPassword(clearIfUnchanged(submitted.newPassword));
      setConfirmation(clearIfUnchanged(submitted.confirmation));
      setStatus('Password changed. Your other devices were signed out.');
      await refresh();
    });
  }

  return (
    <AccountSection
      title="Change password"
      intro="Changing your password signs you out on every other device and forgets remembered devices."
    >
      <form onSubmit={submit} noValidate className="form" aria-busy={pending}>
        {/* Tells password managers which saved password to update. */}
        <input type="email" autoComplete="username" value={user?.email ?? ''} readOnly hidden />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 12 characters, and not your email address."
          value={newPassword}
          onChange={setNewPassword}
          error={fields.newPassword}
        />
        <TextField
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          required
          value={confirmation}
          onChange={setConfirmation}
          error={fields.confirmation}
        />
        <ErrorMessage message={error} />
        <SubmitButton pending={pending}>Change password</SubmitButton>
      </form>
      <StatusMessage message={status} />
    </AccountSection>
  );
}
