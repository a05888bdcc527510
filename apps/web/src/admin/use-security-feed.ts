import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { AdminFeedEventType, AdminSecurityEvent, AdminSecurityEventsResponse } from '../api/types';
import { errorMessage } from '../common/error-message';

/** An event type, or '' for all of them. */
export type FeedFilter = AdminFeedEventType | '';

export interface SecurityFeed {
  status: 'loading' | 'loading-more' | 'ready' | 'failed';
  events: AdminSecurityEvent[];
  nextCursor: string | null;
  /** When the last page arrived; relative times are counted from it. */
  loadedAt: number;
  error: string | null;
}

const FIRST_LOAD: SecurityFeed = { status: 'loading', events: [], nextCursor: null, loadedAt: 0, error: null };

function feedPath(type: FeedFilter, cursor: string | null): string {
  const query = new URLSearchParams();
  if (type) query.set('type', type);
  if (cursor) query.set('cursor', cursor);
  const search = query.toString();
  return search ? `/admin/security-events?${search}` : '/admin/security-events';
}

/** The admins' security feed, newest first: filtered by type, a page at a time. */
export function useSecurityFeed() {
  const [type, setType] = useState<FeedFilter>('');
  const [attempt, setAttempt] = useState(0);
  const [feed, setFeed] = useState<SecurityFeed>(FIRST_LOAD);
  // Bumped by every first-page load, so a page of the previous filter that lands late is dropped.
  const generation = useRef(0);

  useEffect(() => {
    const current = ++generation.current;
    api.get<AdminSecurityEventsResponse>(feedPath(type, null)).then(
      ({ events, nextCursor }) => {
        if (current === generation.current) setFeed({ status: 'ready', events, nextCursor, loadedAt: Date.now(), error: null });
      },
      (caught: unknown) => {
        if (current === generation.current) setFeed({ ...FIRST_LOAD, status: 'failed', error: errorMessage(caught) });
      },
    );
  }, [type, attempt]);

  const changeType = useCallback((next: FeedFilter) => {
    setFeed(FIRST_LOAD);
    setType(next);
  }, []);

  const retry = useCallback(() => {
    setFeed(FIRST_LOAD);
    setAttempt((n) => n + 1);
  }, []);

  const loadMore = useCallback(() => {
    if (feed.status !== 'ready' || !feed.nextCursor) return;
    const current = generation.current;
    setFeed((f) => ({ ...f, status: 'loading-more', error: null }));
    api.get<AdminSecurityEventsResponse>(feedPath(type, feed.nextCursor)).then(
      ({ events, nextCursor }) => {
        if (current !== generation.current) return;
        setFeed((f) => ({ status: 'ready', events: [...f.events, ...events], nextCursor, loadedAt: Date.now(), error: null }));
      },
      // The events already shown stay; "Load more" stays too, to try again.
      (caught: unknown) => {
        if (current === generation.current) setFeed((f) => ({ ...f, status: 'ready', error: errorMessage(caught) }));
      },
    );
  }, [feed, type]);

  return { type, changeType, feed, loadMore, retry };
}
