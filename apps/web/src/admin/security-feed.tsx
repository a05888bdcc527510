import { useId } from 'react';
import { ErrorMessage, ProgressMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { GeoCredit } from '../common/geo-credit';
import { FEED_EVENT_LABELS, feedEventLabel } from './feed-event-text';
import { SecurityFeedItem } from './security-feed-item';
import { type FeedFilter, useSecurityFeed } from './use-security-feed';

/** What the live region says, so a screen reader hears the feed load and what a filter found. */
function feedProgress(count: number | undefined, type: FeedFilter, loadingMore: boolean): string | null {
  if (loadingMore) return 'Loading more events…';
  if (count === undefined) return null;
  if (count === 0) return type ? `No “${feedEventLabel(type)}” events.` : 'No security events yet.';
  return `Showing ${count} ${count === 1 ? 'event' : 'events'}, newest first.`;
}

/** The admins' security feed across all users: possible hijacking, theft, guessing attacks, admins' own actions. */
export function SecurityFeed() {
  const { type, setType, feed } = useSecurityFeed();
  const headingId = useId();
  const filterId = useId();
  const events = feed.data?.pages.flatMap((page) => page.events);
  const loadingMore = feed.isFetchingNextPage;

  return (
    <section className="security-feed" aria-labelledby={headingId}>
      <div className="security-feed-header">
        <h2 id={headingId}>Security feed</h2>
        <div className="security-feed-filter">
          <label htmlFor={filterId}>Event type</label>
          <select id={filterId} value={type} onChange={(event) => setType(event.target.value as FeedFilter)}>
            <option value="">All</option>
            {Object.entries(FEED_EVENT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ProgressMessage message={feed.isPending ? 'Loading security events…' : feedProgress(events?.length, type, loadingMore)} />
      <ErrorMessage
        message={
          feed.error &&
          `${feed.isFetchNextPageError ? 'Could not load more events.' : 'Could not load the security feed.'} ${errorMessage(feed.error)}`
        }
      />
      {!events && feed.isError && (
        <button type="button" className="button-secondary" onClick={() => void feed.refetch()}>
          Try again
        </button>
      )}
      {events && events.length > 0 && (
        <ol className="card feed-list" aria-labelledby={headingId}>
          {events.map((event) => (
            <SecurityFeedItem key={event.id} event={event} now={feed.dataUpdatedAt} />
          ))}
        </ol>
      )}
      <GeoCredit items={events} />
      {feed.hasNextPage && (
        <button
          type="button"
          className="button-secondary"
          onClick={() => !loadingMore && void feed.fetchNextPage()}
          aria-disabled={loadingMore}
        >
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
