import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError, api, onSessionEnded, resetCsrfToken, unwrap, type Schemas } from '../api/client';
import { broadcastAuth, subscribeToAuthChannel } from './auth-channel';

export type AuthState =
  | { status: 'loading' }
  | { status: 'unavailable' }
  | ({ status: 'signed-in' } & Schemas['MeResponse'])
  /** `redirectTo` says where protected screens send the user, e.g. with the reason the session ended. */
  | { status: 'signed-out'; redirectTo: string | null };

type KnownAuthState = Extract<AuthState, { status: 'signed-in' | 'signed-out' }>;

export const meKey = ['me'] as const;

const signedOutBecause = (reason: string): KnownAuthState => ({
  status: 'signed-out',
  redirectTo: `/sign-in?reason=${encodeURIComponent(reason)}`,
});

// Who is signed in changes only through this app (sign-in, re-auth, a role or email change), which
// refreshes it, or by the server ending the session, which any request hears as a 401 with a reason.
const meQuery = {
  queryKey: meKey,
  staleTime: Infinity,
  queryFn: async (): Promise<KnownAuthState> => {
    try {
      return { status: 'signed-in', ...(await unwrap(api.GET('/api/auth/me'))) };
    } catch (error) {
      if (!(error instanceof ApiError && error.statusCode === 401)) throw error;
      return error.reason ? signedOutBecause(error.reason) : { status: 'signed-out', redirectTo: null };
    }
  },
};

const refresh = (queryClient: QueryClient) => queryClient.invalidateQueries({ queryKey: meKey });

/** Forgets everything cached for the previous user, so a shared browser never shows it to the next. */
function forgetUserData(queryClient: QueryClient): void {
  // The server rotates the CSRF token with the session.
  resetCsrfToken();
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meKey[0] });
}

function signOutLocally(queryClient: QueryClient, state: KnownAuthState): void {
  forgetUserData(queryClient);
  queryClient.setQueryData(meKey, state);
}

/** Keeps this tab's auth state in step with the server's answers and with the browser's other tabs. */
export function useAuthSync(queryClient: QueryClient): void {
  useEffect(() => onSessionEnded((reason) => signOutLocally(queryClient, signedOutBecause(reason))), [queryClient]);

  // Sign-out in one tab signs out every other tab of this browser at once.
  useEffect(
    () =>
      subscribeToAuthChannel((message) => {
        if (message.type === 'signed-out') signOutLocally(queryClient, signedOutBecause('signed_out'));
        else {
          resetCsrfToken();
          void refresh(queryClient);
        }
      }),
    [queryClient],
  );
}

export function useAuth() {
  const queryClient = useQueryClient();
  // A failed refresh keeps what we know: a brief outage does not sign anyone out.
  const { data, isError } = useQuery(meQuery);
  const state: AuthState = data ?? { status: isError ? 'unavailable' : 'loading' };

  async function startSession(start: Promise<unknown>) {
    await start;
    forgetUserData(queryClient);
    await refresh(queryClient);
    broadcastAuth({ type: 'signed-in' });
  }

  function endSession(redirectTo: string) {
    signOutLocally(queryClient, { status: 'signed-out', redirectTo });
    broadcastAuth({ type: 'signed-out' });
  }

  return {
    state,
    user: state.status === 'signed-in' ? state.user : null,
    session: state.status === 'signed-in' ? state.session : null,
    refresh: () => refresh(queryClient),
    /** Signs in, or answers the factors one of which is owed when the password was right [M-SIGNIN]. */
    signIn: async (body: Schemas['Login']): Promise<'signed-in' | { methods: Schemas['SecondFactorMethod'][] }> => {
      const { data } = await api.POST('/api/auth/login', { body });
      if (data?.mfaRequired) return { methods: data.methods ?? [] };
      await startSession(Promise.resolve());
      return 'signed-in';
    },
    completeSignIn: (body: Schemas['SecondFactor']) => startSession(api.POST('/api/auth/login/mfa', { body })),
    /** The pending sign-in's second factor by passkey. */
    completeSignInWithPasskey: (credential: Schemas['AuthenticationResponse']) =>
      startSession(api.POST('/api/auth/login/mfa/passkey', { body: { credential } })),
    /** A passkey alone signs in [M-PASSKEY]. */
    signInWithPasskey: (body: Schemas['PasskeySignIn']) => startSession(api.POST('/api/auth/passkey', { body })),
    signUp: (body: Schemas['Register']) => startSession(api.POST('/api/auth/register', { body })),
    signOut: async () => {
      try {
        await api.POST('/api/auth/logout');
      } catch (error) {
        // A 401 means the server already ended this session: the user is signed out either way.
        if (!(error instanceof ApiError && error.statusCode === 401)) throw error;
      }
      endSession('/sign-in?reason=signed_out');
    },
    deleteAccount: async () => {
      await api.DELETE('/api/account');
      endSession('/sign-in');
    },
  };
}

/** For screens under <RequireAuth>, which only render while someone is signed in. */
export function useSignedIn(): Schemas['MeResponse'] {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useSignedIn() is only for screens under <RequireAuth>');
  return state;
}
