import { useState, type FormEvent } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { ApiError, type Schemas } from '../api/client';
import { useAuth } from '../auth/use-auth';
import { safeReturnTo } from '../auth/safe-return-to';
import { ErrorMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { SubmitButton } from '../common/submit-button';
import { TextField } from '../common/text-field';
import { clearIfUnchanged } from '../common/use-form-submission';
import { AuthCard } from '../layout/auth-card';
import { PasskeySignIn } from './passkey-sign-in';
import { SecondFactorForm } from './second-factor-form';
import { sessionEndMessage } from './session-end-messages';

function signInError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'INVALID_CREDENTIALS') return 'Email or password is incorrect.';
  if (error instanceof ApiError && error.code === 'VALIDATION_FAILED') return 'Enter your email and password.';
  return errorMessage(error);
}

export function SignInPage() {
  const { state, signIn } = useAuth();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [rememberMe, setRememberMe] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [secondStep, setSecondStep] = useState<Schemas['SecondFactorMethod'][] | null>(null);

  if (state.status === 'signed-in') return <Navigate to={safeReturnTo(params.get('returnTo'))} replace />;

  const reasonMessage = sessionEndMessage(params.get('reason'));
  const signUpLink = params.has('returnTo') ? `/sign-up?returnTo=${encodeURIComponent(params.get('returnTo') ?? '')}` : '/sign-up';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    const submittedPassword = password;
    try {
      const result = await signIn({ email, password: submittedPassword, rememberMe });
      if (result !== 'signed-in') setSecondStep(result.methods);
    } catch (caught) {
      setError(signInError(caught));
      // A password retyped while the attempt was under way is kept (see useFormSubmission).
      setPassword(clearIfUnchanged(submittedPassword));
    } finally {
      setPending(false);
    }
  }

  if (secondStep) {
    return (
      <AuthCard title="Two-step verification">
        <SecondFactorForm
          methods={secondStep}
          onExpired={() => {
            setSecondStep(null);
            setPassword('');
            setError('That took too long. Enter your password again.');
          }}
        />
      </AuthCard>
    );
  }

  return (
    <AuthCard title="Sign in">
      <p role="status" className="message message-info">
        {reasonMessage}
      </p>
      <form onSubmit={submit} noValidate className="form" aria-busy={pending}>
        <TextField label="Email" type="email" autoComplete="username" required value={email} onChange={setEmail} />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
        />
        <div className="checkbox-field">
          <input
            id="remember-me"
            type="checkbox"
            checked={rememberMe}
            onChange={(event) => setRememberMe(event.target.checked)}
            aria-describedby="remember-me-help"
          />
          <label htmlFor="remember-me">Remember me on this device</label>
          <p id="remember-me-help" className="field-hint">
            Keeps you signed in on this browser for 30 days. Don&apos;t use it on a shared computer.
          </p>
        </div>
        <ErrorMessage message={error} />
        <p className="field-hint">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <SubmitButton pending={pending} pendingLabel="Signing in…">
          Sign in
        </SubmitButton>
      </form>
      <PasskeySignIn rememberMe={rememberMe} />
      <p className="auth-switch">
        New to Sessionkeep? <Link to={signUpLink}>Create an account</Link>
      </p>
    </AuthCard>
  );
}
