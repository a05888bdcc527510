import { Link } from 'react-router';
import { useSignedIn } from '../auth/use-auth';
import { formatDateTime } from '../common/format-time';
import './home.css';

const SCREENS = [
  { to: '/sessions', title: 'Devices & sessions', text: 'See where you are signed in and sign out devices you do not recognise.' },
  { to: '/activity', title: 'Security activity', text: 'Review sign-ins, password changes and other security events.' },
  { to: '/account', title: 'Account settings', text: 'Change your password or email, or delete your account.' },
];

export function HomePage() {
  const { user, session } = useSignedIn();
  const screens = user.role === 'admin'
    ? [...SCREENS, { to: '/admin', title: 'Admin', text: 'Manage users, their roles and their sessions.' }]
    : SCREENS;

  return (
    <>
      <h1>Welcome, {user.name}</h1>
      <p className="lead">
        You signed in on <time dateTime={session.authenticatedAt}>{formatDateTime(session.authenticatedAt)}</time>
        {session.remembered && ', and this device remembers you'}.
      </p>
      <ul className="link-grid">
        {screens.map((screen) => (
          <li key={screen.to}>
            <Link to={screen.to} className="card link-card">
              <span className="link-card-title">{screen.title}</span>
              <span className="link-card-text">{screen.text}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
