import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { AccountSection } from '../account/account-section';
import { api, unwrap } from '../api/client';
import { ProgressMessage } from '../common/announcement';
import { RecoveryCodesSection } from './recovery-codes-section';
import { PasskeysSection, passkeysQuery } from '../passkeys/passkeys-section';
import { TotpSection } from './totp-section';
import './security.css';

export const mfaStatusQuery = { queryKey: ['mfa-status'], queryFn: () => unwrap(api.GET('/api/account/mfa')) };

/** Second factors [M-PASSKEY, M-TOTP, M-RECOVERY]: each change asks for step-up and signs out every other device. */
export function SecurityPage() {
  const queryClient = useQueryClient();
  const { data } = useQuery(mfaStatusQuery);
  const { data: passkeys } = useQuery(passkeysQuery);
  const hasFactor = data?.totp || (passkeys?.passkeys.length ?? 0) > 0;
  const [params] = useSearchParams();
  const changed = () => queryClient.invalidateQueries({ queryKey: mfaStatusQuery.queryKey });
  return (
    <>
      <h1>Security</h1>
      <p className="lead">A second step at sign-in keeps your account safe even if someone learns your password.</p>
      {params.get('required') === 'admin' && !hasFactor && (
        <p className="message message-info">Admin pages need a second factor: add a passkey or set up an authenticator app to use them.</p>
      )}
      {!data ? (
        <ProgressMessage message="Loading…" />
      ) : (
        <div className="stack">
          <PasskeysSection onChanged={changed} />
          <TotpSection on={data.totp} onChanged={changed} />
          {hasFactor ? (
            <RecoveryCodesSection left={data.recoveryCodesLeft} onChanged={changed} />
          ) : (
            <AccountSection title="Recovery codes" intro="Recovery codes are made when you add a passkey or turn on the authenticator app.">
              {null}
            </AccountSection>
          )}
        </div>
      )}
    </>
  );
}
