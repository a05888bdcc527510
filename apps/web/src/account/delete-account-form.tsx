import { useState, type FormEvent } from 'react';
import { useAuth } from '../auth/auth-context';
import { ErrorMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { TextField } from '../common/text-field';
import { AccountSection } from './account-section';

export function DeleteAccountForm() {
  const { deleteAccount } = useAuth();
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (confirmation !== 'DELETE') {
      setError('Type DELETE in capitals to confirm.');
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await deleteAccount();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <AccountSection
      title="Delete account"
      intro="This deletes your account and signs out every device. It cannot be undone."
    >
      <form onSubmit={submit} noValidate className="form">
        <TextField
          label="Type DELETE to confirm"
          autoComplete="off"
          spellCheck={false}
          value={confirmation}
          onChange={setConfirmation}
        />
        <ErrorMessage message={error} />
        <button type="submit" className="button-danger" aria-disabled={busy}>
          Delete account
        </button>
      </form>
    </AccountSection>
  );
}
