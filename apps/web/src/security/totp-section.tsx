import { useState, type FormEvent } from 'react';
import { renderSVG } from 'uqr';
import { AccountSection } from '../account/account-section';
import { api, resetCsrfToken, unwrap, type Schemas } from '../api/client';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage, StatusMessage } from '../common/announcement';
import { SubmitButton } from '../common/submit-button';
import { TextField } from '../common/text-field';
import { useFormSubmission } from '../common/use-form-submission';
import { RecoveryCodesList } from './recovery-codes-list';

/** The authenticator app [M-TOTP]: a QR code and the key to add it, on once a first code is confirmed. */
export function TotpSection({ on, onChanged }: { on: boolean; onChanged: () => void }) {
  const { refresh } = useAuth();
  const [enrolment, setEnrolment] = useState<Schemas['TotpEnrolment'] | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const { fields, status, error, pending, setStatus, send } = useFormSubmission();

  /** Each change moved this session to a new ID, with a new CSRF token. */
  async function afterChange() {
    resetCsrfToken();
    await refresh();
    onChanged();
  }

  const start = () =>
    send(async () => {
      setRecoveryCodes(null);
      setEnrolment(await unwrap(api.POST('/api/account/mfa/totp')));
    });

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    return send(async () => {
      const confirmed = await unwrap(api.POST('/api/account/mfa/totp/confirm', { body: { code: code.replace(/\s/g, '') } }));
      setEnrolment(null);
      setCode('');
      setRecoveryCodes(confirmed.recoveryCodes);
      setStatus('The authenticator app is on. Your other devices were signed out.');
      await afterChange();
    });
  };

  const turnOff = () =>
    send(async () => {
      await api.DELETE('/api/account/mfa/totp');
      setRecoveryCodes(null);
      setStatus('The authenticator app is off. Your other devices were signed out.');
      await afterChange();
    });

  return (
    <AccountSection
      title="Authenticator app"
      intro={on ? 'On: signing in asks for a code from your authenticator app.' : 'Off: signing in asks only for your password.'}
    >
      {recoveryCodes && <RecoveryCodesList codes={recoveryCodes} />}
      {enrolment ? (
        <form onSubmit={confirm} noValidate className="form" aria-busy={pending}>
          <p>Scan this QR code with your authenticator app, or type in the key.</p>
          {/* uqr draws the otpauth:// URI as an SVG string of rectangles: no script, no markup from elsewhere. */}
          <div className="totp-qr" role="img" aria-label="QR code for the authenticator app" dangerouslySetInnerHTML={{ __html: renderSVG(enrolment.otpauthUrl) }} />
          <p>
            Key: <code className="totp-key">{enrolment.secret}</code>
          </p>
          <TextField
            label="Code from the app"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={setCode}
            error={fields.code}
          />
          <ErrorMessage message={error} />
          <SubmitButton pending={pending} pendingLabel="Turning on…">
            Turn on
          </SubmitButton>
        </form>
      ) : (
        <>
          <ErrorMessage message={error} />
          <button type="button" className={on ? 'button-danger' : undefined} aria-disabled={pending} onClick={on ? turnOff : start}>
            {on ? 'Turn off the authenticator app' : 'Set up an authenticator app'}
          </button>
        </>
      )}
      <StatusMessage message={status} />
    </AccountSection>
  );
}
