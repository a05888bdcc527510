import { useEffect, useState } from 'react';
import { formatClockTime } from '../common/format-time';

/** "Verified until HH:MM" while the step-up window is open; hides itself when it lapses. */
export function VerifiedUntil({ expiresAt }: { expiresAt: string | null }) {
  const [lapsed, setLapsed] = useState<string | null>(null);

  useEffect(() => {
    if (!expiresAt) return;
    const timer = setTimeout(() => setLapsed(expiresAt), Math.max(0, Date.parse(expiresAt) - Date.now()));
    return () => clearTimeout(timer);
  }, [expiresAt]);

  if (!expiresAt || lapsed === expiresAt) return null;
  return (
    <span className="badge badge-verified">
      Verified until <time dateTime={expiresAt}>{formatClockTime(expiresAt)}</time>
    </span>
  );
}
