import {
  startAuthentication,
  startRegistration,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { ApiError, api, unwrap, type Schemas } from '../api/client';
import { errorMessage } from '../common/error-message';

/**
 * The browser's half of WebAuthn [M-PASSKEY]: the server hands out options (its challenge, kept on
 * its side), the authenticator signs them after verifying the user, and the answer goes back.
 */
type AssertionFor = 'sign-in' | 'second-factor' | 'step-up';

async function assertionOptions(purpose: AssertionFor): Promise<Schemas['WebAuthnOptions']> {
  if (purpose === 'sign-in') return unwrap(api.POST('/api/auth/passkey/options'));
  if (purpose === 'second-factor') return unwrap(api.POST('/api/auth/login/mfa/passkey/options'));
  return unwrap(api.POST('/api/auth/reauth/passkey/options'));
}

/** Asks the authenticator for a signature over a fresh challenge from the server. */
export async function getPasskeyAssertion(purpose: AssertionFor): Promise<Schemas['AuthenticationResponse']> {
  const { options } = await assertionOptions(purpose);
  const credential: AuthenticationResponseJSON = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
  return credential as Schemas['AuthenticationResponse'];
}

/** Creates a passkey on this device and registers it under `name`. */
/** Registers a new passkey; the first second factor of an account also brings its recovery codes, to be shown once. */
export async function createPasskey(name: string): Promise<Schemas['RegisteredPasskey']> {
  const { options } = await unwrap(api.POST('/api/account/passkeys/options'));
  const credential = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
  return unwrap(api.POST('/api/account/passkeys', { body: { name, credential: credential as Schemas['RegistrationResponse'] } }));
}

/** A sentence for a failed passkey ceremony: cancelled in the browser, refused by the server, or the usual. */
export function passkeyErrorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return error.code === 'PASSKEY_INVALID' ? 'That passkey could not be verified. Try again.' : errorMessage(error);
  }
  if (error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError' || error.name === 'WebAuthnError')) {
    return 'No passkey was used. Try again, or use another way.';
  }
  return errorMessage(error);
}
