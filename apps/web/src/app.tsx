import { Navigate, Route, Routes } from 'react-router';
import { AccountPage } from './account/account-page';
import { ActivityPage } from './activity/activity-page';
import { AdminPage } from './admin/admin-page';
import { AuthProvider } from './auth/auth-context';
import { RequireAuth } from './auth/require-auth';
import { HomePage } from './home/home-page';
import { AppLayout } from './layout/app-layout';
import { ReauthProvider } from './reauth/reauth-provider';
import { SessionsPage } from './sessions/sessions-page';
import { SignInPage } from './sign-in/sign-in-page';
import { SignUpPage } from './sign-up/sign-up-page';

/** Everything except the sign-in and sign-up screens needs a signed-in user. */
export function App() {
  return (
    <AuthProvider>
      <ReauthProvider>
        <Routes>
          <Route path="/sign-in" element={<SignInPage />} />
          <Route path="/sign-up" element={<SignUpPage />} />
          <Route
            element={
              <RequireAuth>
                <AppLayout />
              </RequireAuth>
            }
          >
            <Route index element={<HomePage />} />
            <Route path="sessions" element={<SessionsPage />} />
            <Route path="activity" element={<ActivityPage />} />
            <Route path="account" element={<AccountPage />} />
            <Route path="admin" element={<AdminPage />} />
          </Route>
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </ReauthProvider>
    </AuthProvider>
  );
}
