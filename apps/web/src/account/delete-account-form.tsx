import { useState, type FormEvent } from 'react';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { SubmitButton } from '../common/submit-button';
import { TextField } from '../common/text-field';
import { AccountSection } from './account-section';

export function DeleteAccountForm() {
  const { deleteAccount } = useAuth();
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    if (confirmation !== 'DELETE') {
      setError('Type DELETE in capitals to confirm.');
      return;
    }
    setError(null);
    setPending(true);
    try {
      await deleteAccount();
    } catch (caught) {
      setError(errorMessage(caught));
      setPending(false);
    }
  }

  return (
    <AccountSection
      title="Delete account"
      intro="This deletes your account and signs out every device. It cannot be undone."
    >
      <form onSubmit={submit} noValidate className="form" aria-busy={pending}>
        <TextField
          label="Type DELETE to confirm"
          autoComplete="off"
          spellCheck={false}
          value={confirmation}
          onChange={setConfirmation}
        />
        <ErrorMessage message={error} />
        <SubmitButton pending={pending} pendingLabel="Deleting your account…" className="button-danger">
          Delete account
        </SubmitButton>
      </form>
    </AccountSection>
  );
}
