import { useState } from 'react';
import { AccountSection } from '../account/account-section';
import { api, resetCsrfToken, unwrap } from '../api/client';
import { useAuth } from '../auth/use-auth';
import { ErrorMessage } from '../common/announcement';
import { useFormSubmission } from '../common/use-form-submission';
import { RecoveryCodesList } from './recovery-codes-list';

export function RecoveryCodesSection({ left, onChanged }: { left: number; onChanged: () => void }) {
  const { refresh } = useAuth();
  const [codes, setCodes] = useState<string[] | null>(null);
  const { error, pending, send } = useFormSubmission();

  function regenerate() {
    void send(async () => {
      const { recoveryCodes } = await unwrap(api.POST('/api/account/mfa/recovery-codes'));
      // The server moved this session to a new ID, with a new CSRF token.
      resetCsrfToken();
      setCodes(recoveryCodes);
      await refresh();
      onChanged();
    });
  }

  return (
    <AccountSection title="Recovery codes" intro={`${left} of 10 recovery codes left. Making new ones cancels the old ones.`}>
      {codes && <RecoveryCodesList codes={codes} />}
      <ErrorMessage message={error} />
      <button type="button" className="button-secondary" aria-disabled={pending} onClick={regenerate}>
        {pending ? 'Making new codes…' : 'Make new recovery codes'}
      </button>
    </AccountSection>
  );
}
