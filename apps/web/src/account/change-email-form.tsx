import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import { useAuth, useSignedIn } from '../auth/use-auth';
import { ErrorMessage, StatusMessage } from '../common/announcement';
import { TextField } from '../common/text-field';
import { SubmitButton } from '../common/submit-button';
import { clearIfUnchanged, useFormSubmission } from '../common/use-form-submission';
import { AccountSection } from './account-section';

export function ChangeEmailForm() {
  const { user } = useSignedIn();
  const { refresh } = useAuth();
  const [email, setEmail] = useState('');
  const { fields, status, error, pending, setStatus, send } = useFormSubmission();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const submittedEmail = email;
    await send(async () => {
      const { user: current, pendingEmail } = await unwrap(api.PATCH('/api/account/email', { body: { email: submittedEmail } }));
      setEmail(clearIfUnchanged(submittedEmail));
      // Nothing changes until the link sent to the new address is used [E-VERIFY].
      setStatus(
        pendingEmail
          ? `Check your new inbox: we sent a link to ${pendingEmail}. Your email stays ${current.email} until you use it.`
          : `Your email is already ${current.email}.`,
      );
      await refresh();
    });
  }

  return (
    <AccountSection
      title="Change email"
      intro={
        <>
          You sign in with <strong>{user.email}</strong>.
        </>
      }
    >
      <form onSubmit={submit} noValidate className="form" aria-busy={pending}>
        <TextField
          label="New email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={setEmail}
          error={fields.email}
        />
        <ErrorMessage message={error} />
        <SubmitButton pending={pending}>Change email</SubmitButton>
      </form>
      <StatusMessage message={status} />
    </AccountSection>
  );
}
