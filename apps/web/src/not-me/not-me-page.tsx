import { api, unwrap } from '../api/client';
import { TokenLinkPage } from '../common/token-link-page';

/** [E-NOTIFY] "This wasn't me": signs the new device out (no sign-in needed), then offers a password reset. */
export function NotMePage() {
  return (
    <TokenLinkPage
      title="This wasn't me"
      intro="Sign out the device from the alert at once. You don't need to sign in."
      action="Sign that device out"
      pendingLabel="Signing out…"
      use={(token) => unwrap(api.POST('/api/auth/not-me', { body: { token } }))}
      success={() => 'That device is signed out. Whoever used it knows your password: choose a new one now.'}
      next={{ to: '/forgot-password', label: 'Reset my password' }}
    />
  );
}
