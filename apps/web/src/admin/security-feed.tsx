import { useId } from 'react';
import { ErrorMessage, ProgressMessage } from '../common/announcement';
import { FEED_EVENT_LABELS, feedEventLabel } from './feed-event-text';
import { SecurityFeedItem } from './security-feed-item';
import { type FeedFilter, type SecurityFeed as Feed, useSecurityFeed } from './use-security-feed';

/** What the live region says, so a screen reader hears the feed load and what a filter found. */
function feedProgress({ status, events }: Feed, type: FeedFilter): string | null {
  if (status === 'loading') return 'Loading security events…';
  if (status === 'loading-more') return 'Loading more events…';
  if (status === 'failed') return null;
  if (events.length === 0) return type ? `No “${feedEventLabel(type)}” events.` : 'No security events yet.';
  return `Showing ${events.length} ${events.length === 1 ? 'event' : 'events'}, newest first.`;
}

/** The admins' security feed across all users: possible hijacking, theft, guessing attacks, admins' own actions. */
export function SecurityFeed() {
  const { type, changeType, feed, loadMore, retry } = useSecurityFeed();
  const headingId = useId();
  const filterId = useId();

  return (
    <section className="security-feed" aria-labelledby={headingId}>
      <div className="security-feed-header">
        <h2 id={headingId}>Security feed</h2>
        <div className="security-feed-filter">
          <label htmlFor={filterId}>Event type</label>
          <select id={filterId} value={type} onChange={(event) => changeType(event.target.value as FeedFilter)}>
            <option value="">All</option>
            {Object.entries(FEED_EVENT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ProgressMessage message={feedProgress(feed, type)} />
      <ErrorMessage
        message={
          feed.error &&
          (feed.status === 'failed'
            ? `Could not load the security feed. ${feed.error}`
            : `Could not load more events. ${feed.error}`)
        }
      />
      {feed.status === 'failed' && (
        <button type="button" className="button-secondary" onClick={retry}>
          Try again
        </button>
      )}
      {feed.events.length > 0 && (
        <ol className="card feed-list" aria-labelledby={headingId}>
          {feed.events.map((event) => (
            <SecurityFeedItem key={event.id} event={event} now={feed.loadedAt} />
          ))}
        </ol>
      )}
      {feed.nextCursor && (
        <button
          type="button"
          className="button-secondary"
          onClick={loadMore}
          aria-disabled={feed.status === 'loading-more'}
        >
          {feed.status === 'loading-more' ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
