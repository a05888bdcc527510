import { useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ErrorMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { formatDateTime, formatRelative } from '../common/format-time';
import { GeoCredit } from '../common/geo-credit';
import { describeEvent, eventTone } from './describe-event';
import './activity.css';

/** The account's security events, newest first, a page at a time on the API's cursor. */
function useTimeline() {
  return useInfiniteQuery({
    queryKey: ['events'],
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/account/events', { params: { query: { cursor: pageParam ?? undefined } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
}

export function ActivityPage() {
  const { data, error, dataUpdatedAt, hasNextPage, isFetchingNextPage, fetchNextPage } = useTimeline();
  const events = data?.pages.flatMap((page) => page.events);

  return (
    <>
      <h1>Security activity</h1>
      <p className="lead">Recent security events on your account, newest first.</p>
      <ErrorMessage message={error && `Could not load your activity. ${errorMessage(error)}`} />
      {!events && !error && <p className="page-status">Loading your activity…</p>}
      {events?.length === 0 && <p className="empty-state">No activity yet.</p>}
      {events && events.length > 0 && (
        <ol className="card timeline" aria-label="Security events">
          {events.map((event, index) => (
            <li key={`${event.at}-${event.type}-${index}`} className="timeline-item">
              <span className={`timeline-dot timeline-dot-${eventTone(event.type)}`} aria-hidden="true" />
              <span className="timeline-text">{describeEvent(event)}</span>
              <time dateTime={event.at} title={formatDateTime(event.at)} className="timeline-time">
                {formatRelative(event.at, dataUpdatedAt)} · {formatDateTime(event.at)}
              </time>
              {event.location && <span className="timeline-location">Location: {event.location} (approximate)</span>}
            </li>
          ))}
        </ol>
      )}
      <GeoCredit items={events} />
      {hasNextPage && (
        <button
          type="button"
          className="button-secondary"
          onClick={() => !isFetchingNextPage && void fetchNextPage()}
          aria-disabled={isFetchingNextPage}
        >
          {isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
