import { useEffect, useId, useState } from 'react';
import { formatClockTime } from '../common/format-time';
import './verified-until.css';

/**
 * "Verified until HH:MM" while the step-up window is open; hides itself when it lapses. The badge
 * is a disclosure (a native <details>), so a mouse, a finger, a keyboard and a screen reader all
 * reach its explanation; the explanation is also the badge's accessible description.
 */
export function VerifiedUntil({ expiresAt }: { expiresAt: string | null }) {
  const [lapsed, setLapsed] = useState<string | null>(null);
  const explanationId = useId();

  useEffect(() => {
    if (!expiresAt) return;
    const timer = setTimeout(() => setLapsed(expiresAt), Math.max(0, Date.parse(expiresAt) - Date.now()));
    return () => clearTimeout(timer);
  }, [expiresAt]);

  if (!expiresAt || lapsed === expiresAt) return null;
  const until = formatClockTime(expiresAt);
  return (
    <details className="verified-until">
      <summary className="badge badge-verified" aria-describedby={explanationId}>
        Verified until <time dateTime={expiresAt}>{until}</time>
      </summary>
      <p id={explanationId} className="verified-until-explanation">
        You confirmed your password recently, so sensitive actions, such as changing your password or signing
        out other devices, won&apos;t ask for it again until {until}.
      </p>
    </details>
  );
}
