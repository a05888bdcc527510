import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { ErrorMessage } from '../common/announcement';
import { useLinkToken } from '../common/link-token';
import { SubmitButton } from '../common/submit-button';
import { useFormSubmission } from '../common/use-form-submission';
import { AuthCard } from '../layout/auth-card';

/** [E-NOTIFY] "This wasn't me": signs the new device out (no sign-in needed), then offers a password reset. */
export function NotMePage() {
  const token = useLinkToken();
  const [done, setDone] = useState(false);
  const { error, pending, send } = useFormSubmission();

  async function signOutDevice(event: FormEvent) {
    event.preventDefault();
    await send(async () => {
      await unwrap(api.POST('/api/auth/not-me', { body: { token: token! } }));
      setDone(true);
    });
  }

  return (
    <AuthCard title="This wasn't me">
      {done ? (
        <>
          <p role="status" className="message message-success">
            That device is signed out. Whoever used it knows your password: choose a new one now.
          </p>
          <p>
            <Link to="/forgot-password">Reset my password</Link>
          </p>
        </>
      ) : token ? (
        <>
          <p>Sign out the device from the alert at once. You don&apos;t need to sign in.</p>
          <form onSubmit={signOutDevice} className="form" aria-busy={pending}>
            <ErrorMessage message={error} />
            <SubmitButton pending={pending} pendingLabel="Signing out…">
              Sign that device out
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
