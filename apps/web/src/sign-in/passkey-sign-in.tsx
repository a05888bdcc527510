import { useState } from 'react';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage } from '../common/announcement';
import { getPasskeyAssertion, passkeyErrorMessage } from '../passkeys/passkey-ceremonies';

/** "Sign in with a passkey": no email, no password; the passkey names its account [M-PASSKEY]. */
export function PasskeySignIn({ rememberMe }: { rememberMe: boolean }) {
  const { signInWithPasskey } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function signIn() {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await signInWithPasskey({ credential: await getPasskeyAssertion('sign-in'), rememberMe });
    } catch (caught) {
      setError(passkeyErrorMessage(caught));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="form passkey-sign-in" aria-busy={pending}>
      <p className="divider-text">or</p>
      <button type="button" className="button-secondary" aria-disabled={pending} onClick={signIn}>
        {pending ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
      </button>
      <ErrorMessage message={error} />
    </div>
  );
}
