import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { AuthCard } from '../layout/auth-card';
import { ErrorMessage } from './announcement';
import { useLinkToken } from './link-token';
import { SubmitButton } from './submit-button';
import { useFormSubmission } from './use-form-submission';

interface TokenLinkPageProps<Result> {
  title: string;
  /** What pressing the button will do. */
  intro: string;
  action: string;
  pendingLabel: string;
  /** Sends the link's one-time token to the API. */
  use: (token: string) => Promise<Result>;
  /** The sentence that says it worked, and where to go next. */
  success: (result: Result) => string;
  next: { to: string; label: string };
}

/**
 * The landing page of an emailed one-time link: the token is read from the fragment and sent only
 * on a press, never on load, so a mail scanner that opens links cannot use it (confirm an address,
 * sign a device out) on its own. A link without its token says so.
 */
export function TokenLinkPage<Result>({ title, intro, action, pendingLabel, use, success, next }: TokenLinkPageProps<Result>) {
  const token = useLinkToken();
  const [done, setDone] = useState<string | null>(null);
  const { error, pending, send } = useFormSubmission();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await send(async () => setDone(success(await use(token!))));
  }

  return (
    <AuthCard title={title}>
      {done ? (
        <>
          <p role="status" className="message message-success">
            {done}
          </p>
          <p>
            <Link to={next.to}>{next.label}</Link>
          </p>
        </>
      ) : token ? (
        <>
          <p>{intro}</p>
          <form onSubmit={submit} className="form" aria-busy={pending}>
            <ErrorMessage message={error} />
            <SubmitButton pending={pending} pendingLabel={pendingLabel}>
              {action}
            </SubmitButton>
          </form>
        </>
      ) : (
        <p role="alert" className="message message-error">
          This link is incomplete. Open the link from the email again.
        </p>
      )}
    </AuthCard>
  );
}
