import type { Schemas } from '../api/client';
import { displayIp } from '../common/display-ip';
import { formatDateTime, formatRelative } from '../common/format-time';
import { browserAndOs, feedEventDetail, feedEventLabel } from './feed-event-text';

interface SecurityFeedItemProps {
  event: Schemas['AdminFeedEvent'];
  /** When the page was loaded; the relative time is counted from it. */
  now: number;
}

export function SecurityFeedItem({ event, now }: SecurityFeedItemProps) {
  const detail = feedEventDetail(event);
  // A role changed from the command line or by ADMIN_EMAILS at start-up has neither address nor browser.
  const origin = [event.ip && displayIp(event.ip), event.location, browserAndOs(event)].filter(Boolean).join(' · ');

  return (
    <li className="feed-item">
      <div className="feed-item-heading">
        <strong className="feed-item-type">{feedEventLabel(event.type)}</strong>
        <time dateTime={event.at} title={formatDateTime(event.at)} className="feed-item-time">
          {formatRelative(event.at, now)}
        </time>
      </div>
      <p className="feed-item-user">
        {event.user.name} <span className="feed-item-email">{event.user.email}</span>
      </p>
      {detail && <p className="feed-item-meta">{detail}</p>}
      {origin && <p className="feed-item-meta">{origin}</p>}
    </li>
  );
}
