import { type DeviceDetails, type MailMessage, PRODUCT_NAME, pageLink, renderMail, tokenLink } from './layout.js';

/**
 * Every message the account flows send [E-RESET] [E-VERIFY] [E-NOTIFY], one small typed function
 * each. Links are built from APP_URL, never from the request; one-time tokens ride in the fragment.
 */

export function passwordResetEmail(input: { appUrl: string; token: string; validMinutes: number; requestedFrom: DeviceDetails }): MailMessage {
  return renderMail('Reset your password', [
    { paragraph: `Someone asked to reset the password of your ${PRODUCT_NAME} account. If it was you, choose a new password with this link. It works once, for ${input.validMinutes} minutes.` },
    { action: 'Choose a new password', href: tokenLink(input.appUrl, '/reset-password', input.token) },
    { paragraph: 'The request came from:' },
    { device: input.requestedFrom },
    { paragraph: 'If it was not you, ignore this email: your password stays as it is, and nobody can use the link without access to this mailbox.' },
  ]);
}

export function passwordChangedEmail(input: { appUrl: string; changedFrom: DeviceDetails; byReset: boolean }): MailMessage {
  return renderMail('Your password was changed', [
    {
      paragraph: `The password of your ${PRODUCT_NAME} account was ${input.byReset ? 'reset with an emailed link' : 'changed'}, and every device that was signed in, remembered ones included, has been signed out.`,
    },
    { device: input.changedFrom },
    { paragraph: 'If it was not you, someone else knows your password or can read your email. Reset your password now and secure your mailbox.' },
    { action: 'Reset my password', href: pageLink(input.appUrl, '/forgot-password') },
  ]);
}

export function verifyEmailEmail(input: { appUrl: string; token: string; validMinutes: number }): MailMessage {
  return renderMail('Confirm your email address', [
    { paragraph: `Confirm that this address belongs to your ${PRODUCT_NAME} account. The link works once, for ${input.validMinutes} minutes.` },
    { action: 'Confirm my email address', href: tokenLink(input.appUrl, '/verify-email', input.token) },
    { paragraph: 'If you did not ask for this, ignore this email: nothing changes until the link is used.' },
  ]);
}

/** To the old address: the change takes effect only once the new address confirms it. */
export function emailChangeNoticeEmail(input: { appUrl: string; newEmail: string; requestedFrom: DeviceDetails }): MailMessage {
  return renderMail('Your email address is being changed', [
    { paragraph: `Someone signed in to your ${PRODUCT_NAME} account asked to change its email address to ${input.newEmail}. Nothing changes until the link sent to that address is used.` },
    { device: input.requestedFrom },
    { paragraph: 'If it was not you, sign in, end the sessions you do not recognise and change your password before that link is used.' },
    { action: 'Review my devices', href: pageLink(input.appUrl, '/sessions') },
  ]);
}

/** [E-NOTIFY] "This wasn't me" ends exactly that session with a one-time token; no sign-in needed. */
export function newDeviceAlertEmail(input: { appUrl: string; device: DeviceDetails; notMeToken: string }): MailMessage {
  return renderMail('New sign-in to your account', [
    { paragraph: `Your ${PRODUCT_NAME} account was just signed in to from a device we have not seen in a while:` },
    { device: input.device },
    { paragraph: 'If it was you, there is nothing to do.' },
    { paragraph: 'If it was not you, sign that device out at once with the button below (no password needed), then reset your password.' },
    { action: "This wasn't me", href: tokenLink(input.appUrl, '/not-me', input.notMeToken) },
  ]);
}

/** A remember-me token was presented after it had been replaced: someone holds a copy [R-THEFT]. */
export function rememberMeTheftEmail(input: { appUrl: string; device: DeviceDetails }): MailMessage {
  return renderMail('We signed out a remembered device', [
    {
      paragraph: `A "remember me" token of your ${PRODUCT_NAME} account was used after it had already been replaced, which happens when someone has copied it. To be safe, that remembered device and its sessions were signed out.`,
    },
    { paragraph: 'The reuse came from:' },
    { device: input.device },
    { paragraph: 'Sign in again on that device. If you do not recognise this, reset your password and check who can reach that browser profile.' },
    { action: 'Reset my password', href: pageLink(input.appUrl, '/forgot-password') },
  ]);
}
