import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorMessage, StatusMessage } from '../common/announcement';
import { SubmitButton } from '../common/submit-button';
import { TextField } from '../common/text-field';
import { useFormSubmission } from '../common/use-form-submission';
import { AuthCard } from '../layout/auth-card';

/** [E-RESET] The answer is the same whether or not the address has an account, and so is this page. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const { fields, status, error, pending, setStatus, send } = useFormSubmission();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const submittedEmail = email;
    await send(async () => {
      await unwrap(api.POST('/api/auth/password-reset', { body: { email: submittedEmail } }));
      setStatus(`If an account uses ${submittedEmail}, we have sent it a link to choose a new password. It works once, for 30 minutes.`);
    });
  }

  return (
    <AuthCard title="Forgot your password?">
      <p>Enter the email address you sign in with and we will send you a link to choose a new password.</p>
      <form onSubmit={submit} noValidate className="form" aria-busy={pending}>
        <TextField label="Email" type="email" autoComplete="username" required value={email} onChange={setEmail} error={fields.email} />
        <ErrorMessage message={error} />
        <SubmitButton pending={pending} pendingLabel="Sending…">
          Send me a link
        </SubmitButton>
      </form>
      <StatusMessage message={status} />
      <p className="auth-switch">
        Remembered it? <Link to="/sign-in">Sign in</Link>
      </p>
    </AuthCard>
  );
}
