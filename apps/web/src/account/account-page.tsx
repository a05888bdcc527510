import { ChangeEmailForm } from './change-email-form';
import { ChangePasswordForm } from './change-password-form';
import { DeleteAccountForm } from './delete-account-form';

export function AccountPage() {
  return (
    <>
      <h1>Account settings</h1>
      <p className="lead">Each change here asks you to confirm your password if you have not done so recently.</p>
      <div className="stack">
        <ChangePasswordForm />
        <ChangeEmailForm />
        <DeleteAccountForm />
      </div>
    </>
  );
}
