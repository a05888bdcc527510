import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AccountPage } from './account/account-page';
import { ActivityPage } from './activity/activity-page';
import { AdminPage } from './admin/admin-page';
import { RequireAuth } from './auth/require-auth';
import { useAuthSync } from './auth/use-auth';
import { HomePage } from './home/home-page';
import { AppLayout } from './layout/app-layout';
import { LiveSession } from './live/live-session';
import { ReauthProvider } from './reauth/reauth-provider';
import { SecurityPage } from './security/security-page';
import { SessionsPage } from './sessions/sessions-page';
import { SignInPage } from './sign-in/sign-in-page';
import { SignUpPage } from './sign-up/sign-up-page';

// No retries here: the API client already retries what can succeed on a second try (a stale CSRF
// token, a step-up, a session that just moved to a new ID); a 401, 403 or 503 would only be repeated.
const createQueryClient = () => new QueryClient({ defaultOptions: { queries: { retry: false } } });

/** Everything except the sign-in and sign-up screens needs a signed-in user. */
export function App() {
  const [queryClient] = useState(createQueryClient);
  useAuthSync(queryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <ReauthProvider>
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/sign-up" element={<SignUpPage />} />
          <Route
            element={
              <RequireAuth>
                <LiveSession />
                <AppLayout />
              </RequireAuth>
            }
          >
            <Route index element={<HomePage />} />
            <Route path="sessions" element={<SessionsPage />} />
            <Route path="activity" element={<ActivityPage />} />
            <Route path="account" element={<AccountPage />} />
            <Route path="security" element={<SecurityPage />} />
            <Route path="admin" element={<AdminPage />} />
          </Route>
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </ReauthProvider>
    </QueryClientProvider>
  );
}
