import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { SubmitButton } from '../common/submit-button';
import { TextField } from '../common/text-field';

function secondFactorError(error: unknown): string {
  if (error instanceof ApiError && error.code === 'INVALID_CODE') return 'That code is not valid, or was already used.';
  return errorMessage(error);
}

/** The second sign-in step [M-SIGNIN]: a code from the authenticator app, or a recovery code. */
export function SecondFactorForm({ onExpired }: { onExpired: () => void }) {
  const { completeSignIn } = useAuth();
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  // The step replaces the password form: move focus to its one field.
  useEffect(() => inputRef.current?.focus(), [useRecoveryCode]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await completeSignIn(useRecoveryCode ? { recoveryCode: value.trim() } : { code: value.replace(/\s/g, '') });
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'UNAUTHENTICATED') return onExpired();
      setError(secondFactorError(caught));
      setValue('');
      inputRef.current?.focus();
    } finally {
      setPending(false);
    }
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
    </form>
  );
}
