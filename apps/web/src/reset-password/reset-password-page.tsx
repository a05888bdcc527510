import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorMessage } from '../common/announcement';
import { useLinkToken } from '../common/link-token';
import { SubmitButton } from '../common/submit-button';
import { TextField } from '../common/text-field';
import { useFormSubmission } from '../common/use-form-submission';
import { AuthCard } from '../layout/auth-card';

/** [E-RESET] Sets the new password; every device is signed out and nobody is signed in. */
export function ResetPasswordPage() {
  const token = useLinkToken();
  const [newPassword, setNewPassword] = useState('');
  const [done, setDone] = useState(false);
  const { fields, error, pending, send } = useFormSubmission();

  if (!token) return <BrokenLink />;
  if (done) {
    return (
      <AuthCard title="Password changed">
        <p role="status" className="message message-success">
          Your password is changed, and every device that was signed in has been signed out.
        </p>
        <p>
          <Link to="/sign-in">Sign in with your new password</Link>
        </p>
      </AuthCard>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await send(async () => {
      await unwrap(api.POST('/api/auth/password-reset/confirm', { body: { token: token!, newPassword } }));
      setDone(true);
    });
  }

  return (
    <AuthCard title="Choose a new password">
      <form onSubmit={submit} noValidate className="form" aria-busy={pending}>
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          value={newPassword}
          onChange={setNewPassword}
          error={fields.newPassword}
        />
        <ErrorMessage message={error} />
        <SubmitButton pending={pending}>Set new password</SubmitButton>
      </form>
      <p className="auth-switch">
        Link not working? <Link to="/forgot-password">Ask for a new one</Link>
      </p>
    </AuthCard>
  );
}

function BrokenLink() {
  return (
    <AuthCard title="Choose a new password">
      <p role="alert" className="message message-error">
        This link is incomplete. Open the link from the email again, or ask for a new one.
      </p>
      <p>
        <Link to="/forgot-password">Ask for a new link</Link>
      </p>
    </AuthCard>
  );
}
