import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AccountPage } from './account/account-page';
import { ActivityPage } from './activity/activity-page';
import { AdminPage } from './admin/admin-page';
import { RequireAuth } from './auth/require-auth';
import { useAuthSync } from './auth/use-auth';
import { ForgotPasswordPage } from './forgot-password/forgot-password-page';
import { HomePage } from './home/home-page';
import { AppLayout } from './layout/app-layout';
import { LiveSession } from './live/live-session';
import { NotMePage } from './not-me/not-me-page';
import { ReauthProvider } from './reauth/reauth-provider';
import { ResetPasswordPage } from './reset-password/reset-password-page';
import { SecurityPage } from './security/security-page';
import { SessionsPage } from './sessions/sessions-page';
import { SignInPage } from './sign-in/sign-in-page';
import { SignUpPage } from './sign-up/sign-up-page';
import { VerifyEmailPage } from './verify-email/verify-email-page';

// No retries here: the API client already retries what can succeed on a second try (a stale CSRF
// token, a step-up, a session that just moved to a new ID); a 401, 403 or 503 would only be repeated.
const createQueryClient = () => new QueryClient({ defaultOptions: { queries: { retry: false } } });

/** Everything except the sign-in and sign-up screens and the emailed links' pages needs a signed-in user. */
export function App() {
  const [queryClient] = useState(createQueryClient);
  useAuthSync(queryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <ReauthProvider>
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/sign-up" element={<SignUpPage />} />
          <Route path="/forgot-password" element={<ForgotPasswordPage />} />
          <Route path="/reset-password" element={<ResetPasswordPage />} />
          <Route path="/verify-email" element={<VerifyEmailPage />} />
          <Route path="/not-me" element={<NotMePage />} />
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
