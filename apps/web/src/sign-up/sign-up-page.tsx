import { useState, type FormEvent } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { useAuth } from '../auth/use-auth';
import { safeReturnTo } from '../auth/safe-return-to';
import { ErrorMessage } from '../common/announcement';
import { TextField } from '../common/text-field';
import { SubmitButton } from '../common/submit-button';
import { clearIfUnchanged, useFormSubmission } from '../common/use-form-submission';
import { AuthCard } from '../layout/auth-card';

export function SignUpPage() {
  const { state, signUp } = useAuth();
  const [params] = useSearchParams();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { fields, error, pending, send } = useFormSubmission();

  if (state.status === 'signed-in') return <Navigate to={safeReturnTo(params.get('returnTo'))} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const submittedPassword = password;
    await send(
      () => signUp({ name, email, password: submittedPassword }),
      () => setPassword(clearIfUnchanged(submittedPassword)),
    );
  }

  return (
    <AuthCard title="Create your account">
      <form onSubmit={submit} noValidate className="form" aria-busy={pending}>
        <TextField label="Name" autoComplete="name" required value={name} onChange={setName} error={fields.name} />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={setEmail}
          error={fields.email}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 12 characters. A passphrase of a few words works well."
          value={password}
          onChange={setPassword}
          error={fields.password}
        />
        <ErrorMessage message={error} />
        <SubmitButton pending={pending} pendingLabel="Creating your account…">
          Create account
        </SubmitButton>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </AuthCard>
  );
}
