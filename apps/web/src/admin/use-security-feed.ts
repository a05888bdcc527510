import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';

/** An event type, or '' for all of them. */
export type FeedFilter = Schemas['AdminFeedEventType'] | '';

/**
 * The admins' security feed, newest first: filtered by type, a page at a time. Each filter is its own
 * query, so a page of the previous filter that lands late never mixes in.
 */
export function useSecurityFeed() {
  const [type, setType] = useState<FeedFilter>('');
  const feed = useInfiniteQuery({
    queryKey: ['admin', 'security-events', type],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/api/admin/security-events', { params: { query: { type: type || undefined, cursor: pageParam ?? undefined } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  return { type, setType, feed };
}
