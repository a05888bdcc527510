import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, onSessionEnded, resetCsrfToken } from '../api/client';
import type { CurrentSession, MeResponse, User } from '../api/types';
import { broadcastAuth, subscribeToAuthChannel } from './auth-channel';

export type AuthState =
  | { status: 'loading' }
  | { status: 'unavailable' }
  | { status: 'signed-in'; user: User; session: CurrentSession }
  /** `redirectTo` says where protected screens send the user, e.g. with the reason the session ended. */
  | { status: 'signed-out'; redirectTo: string | null };

export interface SignInInput {
  email: string;
  password: string;
  rememberMe: boolean;
}

export interface SignUpInput {
  name: string;
  email: string;
  password: string;
}

interface AuthContextValue {
  state: AuthState;
  user: User | null;
  session: CurrentSession | null;
  refresh: () => Promise<void>;
  signIn: (input: SignInInput) => Promise<void>;
  signUp: (input: SignUpInput) => Promise<void>;
  signOut: () => Promise<void>;
  deleteAccount: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

const signedOutBecause = (reason: string): AuthState => ({
  status: 'signed-out',
  redirectTo: `/sign-in?reason=${encodeURIComponent(reason)}`,
});

/** Asks the server who is signed in. The answer is an update, so a brief outage keeps what we know. */
async function fetchAuthState(): Promise<(current: AuthState) => AuthState> {
  try {
    const me = await api.get<MeResponse>('/auth/me');
    return () => ({ status: 'signed-in', ...me });
  } catch (error) {
    if (error instanceof ApiError && error.statusCode === 401) {
      const next = error.reason ? signedOutBecause(error.reason) : { status: 'signed-out' as const, redirectTo: null };
      return () => next;
    }
    return (current) => (current.status === 'loading' ? { status: 'unavailable' } : current);
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });

  const refresh = useCallback(() => fetchAuthState().then(setState), []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => onSessionEnded((reason) => setState(signedOutBecause(reason))), []);

  // Sign-out in one tab signs out every other tab of this browser at once.
  useEffect(
    () =>
      subscribeToAuthChannel((message) => {
        resetCsrfToken();
        if (message.type === 'signed-out') setState(signedOutBecause('signed_out'));
        else void refresh();
      }),
    [refresh],
  );

  const startSession = useCallback(
    async (path: string, body: object) => {
      await api.post(path, body);
      resetCsrfToken();
      await refresh();
      broadcastAuth({ type: 'signed-in' });
    },
    [refresh],
  );

  const endSession = useCallback((redirectTo: string) => {
    resetCsrfToken();
    broadcastAuth({ type: 'signed-out' });
    setState({ status: 'signed-out', redirectTo });
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({
      state,
      user: state.status === 'signed-in' ? state.user : null,
      session: state.status === 'signed-in' ? state.session : null,
      refresh,
      signIn: (input) => startSession('/auth/login', input),
      signUp: (input) => startSession('/auth/register', input),
      signOut: async () => {
        try {
          await api.post('/auth/logout');
        } catch (error) {
          // A 401 means the server already ended this session: the user is signed out either way.
          if (!(error instanceof ApiError && error.statusCode === 401)) throw error;
        }
        endSession('/sign-in?reason=signed_out');
      },
      deleteAccount: async () => {
        await api.delete('/account');
        endSession('/sign-in');
      },
    }),
    [state, refresh, startSession, endSession],
  );

  return <AuthContext value={value}>{children}</AuthContext>;
}

export function useAuth(): AuthContextValue {
  const value = use(AuthContext);
  if (!value) throw new Error('useAuth() needs an <AuthProvider>');
  return value;
}

/** For screens under <RequireAuth>, which only render while someone is signed in. */
export function useSignedIn(): { user: User; session: CurrentSession } {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useSignedIn() is only for screens under <RequireAuth>');
  return state;
}
