import type { BrowserContext, Page } from '@playwright/test';

/**
 * Chromium's virtual authenticator (Chrome DevTools Protocol): a platform passkey that verifies
 * the user without a prompt. WebAuthn needs a domain as relying party ID, so the page must be on
 * http://localhost, never 127.0.0.1.
 */
export async function addVirtualAuthenticator(context: BrowserContext, page: Page): Promise<{ credentials(): Promise<unknown[]> }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return { credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials };
}
