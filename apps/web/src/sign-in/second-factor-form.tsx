import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, type Schemas } from '../api/client';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { SubmitButton } from '../common/submit-button';
import { TextField } from '../common/text-field';
import { getPasskeyAssertion, passkeyErrorMessage } from '../passkeys/passkey-ceremonies';

function secondFactorError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'INVALID_CODE') return 'That code is not valid, or was already used.';
  return errorMessage(error);
}

/** The second sign-in step [M-SIGNIN]: a passkey, a code from the authenticator app, or a recovery code. */
export function SecondFactorForm({ methods, onExpired }: { methods: Schemas['SecondFactorMethod'][]; onExpired: () => void }) {
  const { completeSignIn, completeSignInWithPasskey } = useAuth();
  const hasTotp = methods.includes('totp');
  // A passkey-only account offers its recovery codes too, for when the passkey is lost [M-RECOVERY].
  const hasRecoveryCodes = methods.includes('recovery_code');
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  // The step replaces the password form: move focus to its one field.
  useEffect(() => inputRef.current?.focus(), [useRecoveryCode]);

  async function attempt(complete: () => Promise<void>, describe: (error: unknown) => string) {
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await complete();
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'UNAUTHENTICATED') return onExpired();
      setError(describe(caught));
      setValue('');
      inputRef.current?.focus();
    } finally {
      setPending(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    return attempt(() => completeSignIn(useRecoveryCode ? { recoveryCode: value.trim() } : { code: value.replace(/\s/g, '') }), secondFactorError);
  }

  const usePasskey = () => attempt(async () => completeSignInWithPasskey(await getPasskeyAssertion('second-factor')), passkeyErrorMessage);

  if (!hasTotp && !useRecoveryCode) {
    return (
      <div className="form" aria-busy={pending}>
        <p>Confirm it is you with one of your passkeys.</p>
        <ErrorMessage message={error} />
        <button type="button" aria-disabled={pending} onClick={usePasskey}>
          {pending ? 'Waiting for your passkey…' : 'Use a passkey'}
        </button>
        {hasRecoveryCodes && (
          <button
            type="button"
            className="button-link"
            onClick={() => {
              setUseRecoveryCode(true);
              setValue('');
              setError(null);
            }}
          >
            Use a recovery code instead
          </button>
        )}
      </div>
    );
  }

  return (
    <form onSubmit={submit} noValidate className="form" aria-busy={pending}>
      <p>{useRecoveryCode ? 'Enter one of your recovery codes. Each works once.' : 'Enter the 6-digit code from your authenticator app.'}</p>
      <TextField
        ref={inputRef}
        label={useRecoveryCode ? 'Recovery code' : 'Authentication code'}
        inputMode={useRecoveryCode ? 'text' : 'numeric'}
        autoComplete="one-time-code"
        required
        value={value}
        onChange={setValue}
      />
      <ErrorMessage message={error} />
      <SubmitButton pending={pending} pendingLabel="Verifying…">
        Verify
      </SubmitButton>
      {methods.includes('passkey') && (
        <button type="button" className="button-secondary" aria-disabled={pending} onClick={usePasskey}>
          Use a passkey instead
        </button>
      )}
      {hasTotp && (
        <button
          type="button"
          className="button-link"
          onClick={() => {
            setUseRecoveryCode(!useRecoveryCode);
            setValue('');
            setError(null);
          }}
        >
          {useRecoveryCode ? 'Use a code from the authenticator app' : 'Use a recovery code instead'}
        </button>
      )}
    </form>
  );
}
