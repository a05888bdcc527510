import type { ClientContext } from '../common/client-context.js';
import { describeUserAgent } from '../common/user-agent.js';
import { type MailMessage, PRODUCT_NAME, pageLink, renderMail } from '../mail/templates/layout.js';

const CHANGES = {
  mfa_enabled: 'An authenticator app was turned on for',
  mfa_disabled: 'The authenticator app was turned off for',
  recovery_codes_regenerated: 'New recovery codes were made for',
  passkey_added: 'A passkey was added to',
  passkey_removed: 'A passkey was removed from',
} as const;

/** [E-NOTIFY] A second factor changed: the owner hears of it even when it was not them. */
export function factorChangedEmail(input: { appUrl: string; change: string; client: ClientContext }): MailMessage {
  const what = CHANGES[input.change as keyof typeof CHANGES] ?? 'The sign-in settings changed for';
  const { browser, os } = describeUserAgent(input.client.userAgent);
  return renderMail('Your sign-in settings changed', [
    { paragraph: `${what} your ${PRODUCT_NAME} account, and every other device has been signed out.` },
    { device: { browser, os, ip: input.client.ip, location: input.client.location, at: new Date() } },
    { paragraph: 'If it was not you, reset your password now and check your security settings.' },
    { action: 'Reset my password', href: pageLink(input.appUrl, '/forgot-password') },
  ]);
}
