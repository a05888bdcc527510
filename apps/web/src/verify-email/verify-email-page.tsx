import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage } from '../common/announcement';
import { useLinkToken } from '../common/link-token';
import { SubmitButton } from '../common/submit-button';
import { useFormSubmission } from '../common/use-form-submission';
import { AuthCard } from '../layout/auth-card';

/**
 * [E-VERIFY] Confirms an address by a press, not on load: mail scanners that open links must not
 * confirm (or, for an email change, move) an account on their own.
 */
export function VerifyEmailPage() {
  const token = useLinkToken();
  const { refresh } = useAuth();
  const [verifiedEmail, setVerifiedEmail] = useState<string | null>(null);
  const { error, pending, send } = useFormSubmission();

  async function confirm(event: FormEvent) {
    event.preventDefault();
    await send(async () => {
      const { user } = await unwrap(api.POST('/api/auth/verify-email', { body: { token: token! } }));
      setVerifiedEmail(user.email);
      await refresh();
    });
  }

  return (
    <AuthCard title="Confirm your email address">
      {verifiedEmail ? (
        <>
          <p role="status" className="message message-success">
            {verifiedEmail} is confirmed. You sign in with it from now on.
          </p>
          <p>
            <Link to="/">Continue</Link>
          </p>
        </>
      ) : token ? (
        <>
          <p>Press the button to confirm that this address is yours.</p>
          <form onSubmit={confirm} className="form" aria-busy={pending}>
            <ErrorMessage message={error} />
            <SubmitButton pending={pending} pendingLabel="Confirming…">
              Confirm my email address
            </SubmitButton>
          </form>
        </>
      ) : (
        <p role="alert" className="message message-error">
          This link is incomplete. Open the link from the email again.
        </p>
      )}
    </AuthCard>
  );
}
