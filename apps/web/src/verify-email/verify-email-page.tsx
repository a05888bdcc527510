import { api, unwrap } from '../api/client';
import { useAuth } from '../auth/use-auth';
import { TokenLinkPage } from '../common/token-link-page';

/**
 * [E-VERIFY] Confirms an address by a press, not on load: mail scanners that open links must not
 * confirm (or, for an email change, move) an account on their own.
 */
export function VerifyEmailPage() {
  const { refresh } = useAuth();

  async function confirm(token: string) {
    const { user } = await unwrap(api.POST('/api/auth/verify-email', { body: { token } }));
    await refresh();
    return user;
  }

  return (
    <TokenLinkPage
      title="Confirm your email address"
      intro="Press the button to confirm that this address is yours."
      action="Confirm my email address"
      pendingLabel="Confirming…"
      use={confirm}
      success={(user) => `${user.email} is confirmed. You sign in with it from now on.`}
      next={{ to: '/', label: 'Continue' }}
    />
  );
}
