import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ApiError, api, resetCsrfToken } from '../api/client';
import { getPasskeyAssertion, passkeyErrorMessage } from '../passkeys/passkey-ceremonies';
import { passkeysQuery } from '../passkeys/passkeys-section';
import { mfaStatusQuery } from '../security/security-page';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { SubmitButton } from '../common/submit-button';
import { TextField } from '../common/text-field';
import { clearIfUnchanged } from '../common/use-form-submission';

export function ReauthDialog({ onDone }: { onDone: (confirmed: boolean) => void }) {
  const { user, refresh } = useAuth();
  const titleId = useId();
  const textId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const [password, setPassword] = useState('');
  // [M-STEPUP] With the authenticator app on, a code from it confirms too.
  const { data: factors } = useQuery(mfaStatusQuery);
  // [M-STEPUP] A user with a passkey is offered it first.
  const { data: passkeys } = useQuery(passkeysQuery);
  const hasPasskey = (passkeys?.passkeys.length ?? 0) > 0;
  const [useCode, setUseCode] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function attempt(stepUp: () => Promise<unknown>, describe: (error: unknown) => string, afterFailure: () => void) {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await stepUp();
      // Re-auth gives the session a new ID, and with it a new CSRF token.
      resetCsrfToken();
      await refresh();
      onDone(true);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'UNAUTHENTICATED') return onDone(false);
      setError(describe(caught));
      afterFailure();
    } finally {
      setPending(false);
    }
  }

  function confirm(event: FormEvent) {
    event.preventDefault();
    const submittedPassword = password;
    return attempt(
      () => api.POST('/api/auth/reauth', { body: useCode ? { code: submittedPassword.replace(/\s/g, '') } : { password: submittedPassword } }),
      (caught) => {
        const wrong = caught instanceof ApiError && (caught.code === 'INVALID_CREDENTIALS' || caught.code === 'INVALID_CODE');
        return wrong ? (useCode ? 'Incorrect or already used code.' : 'Incorrect password.') : errorMessage(caught);
      },
      () => {
        setPassword(clearIfUnchanged(submittedPassword));
        passwordRef.current?.focus();
      },
    );
  }

  const confirmWithPasskey = () =>
    attempt(
      async () => api.POST('/api/auth/reauth/passkey', { body: { credential: await getPasskeyAssertion('step-up') } }),
      passkeyErrorMessage,
      () => {},
    );

  function cancel() {
    if (!pending) onDone(false);
  }

  // Escape is heard on the whole document: a click on the backdrop moves focus out of the dialog.
  useEffect(() => {
    const onEscape = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || pending) return;
      event.preventDefault();
      onDone(false);
    };
    document.addEventListener('keydown', onEscape);
    return () => document.removeEventListener('keydown', onEscape);
  }, [pending, onDone]);

  function trapTab(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key !== 'Tab' || !dialogRef.current) return;
    // Keep keyboard focus inside the dialog: wrap from the last control to the first and back.
    const focusable = [...dialogRef.current.querySelectorAll<HTMLElement>('input:not([hidden]), button')];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  }

  return (
    <div className="dialog-backdrop">
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={textId}
        className="card dialog"
        onKeyDown={trapTab}
      >
        <h2 id={titleId}>{hasPasskey ? 'Confirm it is you' : 'Confirm your password'}</h2>
        <p id={textId}>
          {hasPasskey ? 'For your security, confirm it is you to continue: use a passkey, or your password.' : 'For your security, confirm your password to continue.'}
        </p>
        {hasPasskey && (
          <div className="form">
            <button type="button" aria-disabled={pending} onClick={confirmWithPasskey} autoFocus>
              Use a passkey
            </button>
            <p className="divider-text">or</p>
          </div>
        )}
        <form onSubmit={confirm} noValidate className="form" aria-busy={pending}>
          {/* Tells password managers whose password this is. */}
          <input type="email" autoComplete="username" value={user?.email ?? ''} readOnly hidden />
          <TextField
            key={useCode ? 'code' : 'password'}
            ref={passwordRef}
            label={useCode ? 'Authentication code' : 'Password'}
            type={useCode ? 'text' : 'password'}
            inputMode={useCode ? 'numeric' : undefined}
            autoComplete={useCode ? 'one-time-code' : 'current-password'}
            autoFocus={!hasPasskey}
            required
            value={password}
            onChange={setPassword}
          />
          {factors?.totp && (
            <button
              type="button"
              className="button-link"
              onClick={() => {
                setUseCode(!useCode);
                setPassword('');
                setError(null);
              }}
            >
              {useCode ? 'Use your password instead' : 'Use a code from your authenticator app'}
            </button>
          )}
          <ErrorMessage message={error} />
          <div className="actions">
            <button type="button" className="button-secondary" onClick={cancel} aria-disabled={pending}>
              Cancel
            </button>
            <SubmitButton pending={pending} pendingLabel="Confirming…">
              Confirm
            </SubmitButton>
          </div>
        </form>
      </div>
    </div>
  );
}
