import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import type { AdminFeedEventType, AdminSecurityEventsResponse } from '../api/types';

/** An event type, or '' for all of them. */
export type FeedFilter = AdminFeedEventType | '';

function feedPath(type: FeedFilter, cursor: string | null): string {
  const query = new URLSearchParams();
  if (type) query.set('type', type);
  if (cursor) query.set('cursor', cursor);
  const search = query.toString();
  return search ? `/admin/security-events?${search}` : '/admin/security-events';
}

/**
 * The admins' security feed, newest first: filtered by type, a page at a time. Each filter is its own
 * query, so a page of the previous filter that lands late never mixes in.
 */
export function useSecurityFeed() {
  const [type, setType] = useState<FeedFilter>('');
  const feed = useInfiniteQuery({
    queryKey: ['admin', 'security-events', type],
    queryFn: ({ pageParam }) => api.get<AdminSecurityEventsResponse>(feedPath(type, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  return { type, setType, feed };
}
