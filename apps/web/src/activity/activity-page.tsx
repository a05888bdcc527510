import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { EventsResponse, SecurityEvent } from '../api/types';
import { ErrorMessage } from '../common/announcement';
import { errorMessage } from '../common/error-message';
import { formatDateTime, formatRelative } from '../common/format-time';
import { describeEvent, eventTone } from './describe-event';
import './activity.css';

interface Timeline {
  events: SecurityEvent[];
  nextCursor: string | null;
  loadedAt: number;
}

export function ActivityPage() {
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const load = useCallback(
    (cursor: string | null) =>
      api
        .get<EventsResponse>(cursor ? `/account/events?cursor=${encodeURIComponent(cursor)}` : '/account/events')
        .then(
          (page) =>
            setTimeline((current) => ({
              events: cursor && current ? [...current.events, ...page.events] : page.events,
              nextCursor: page.nextCursor ?? null,
              loadedAt: Date.now(),
            })),
          (caught: unknown) => setError(`Could not load your activity. ${errorMessage(caught)}`),
        ),
    [],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  async function loadMore() {
    if (loadingMore) return;
    setLoadingMore(true);
    setError(null);
    await load(timeline?.nextCursor ?? null);
    setLoadingMore(false);
  }

  return (
    <>
      <h1>Security activity</h1>
      <p className="lead">Recent security events on your account, newest first.</p>
      <ErrorMessage message={error} />
      {!timeline && !error && <p className="page-status">Loading your activity…</p>}
      {timeline && timeline.events.length === 0 && <p className="empty-state">No activity yet.</p>}
      {timeline && timeline.events.length > 0 && (
        <ol className="card timeline" aria-label="Security events">
          {timeline.events.map((event, index) => (
            <li key={`${event.at}-${event.type}-${index}`} className="timeline-item">
              <span className={`timeline-dot timeline-dot-${eventTone(event.type)}`} aria-hidden="true" />
              <span className="timeline-text">{describeEvent(event)}</span>
              <time dateTime={event.at} title={formatDateTime(event.at)} className="timeline-time">
                {formatRelative(event.at, timeline.loadedAt)} · {formatDateTime(event.at)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {timeline?.nextCursor && (
        <button type="button" className="button-secondary" onClick={loadMore} aria-disabled={loadingMore}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
