import type { Request } from 'express';

/** The User-Agent header, bounded: it is stored with sessions and events. */
export function userAgentOf(req: Request): string {
  return (req.headers['user-agent'] ?? '').slice(0, 512);
}
