import { vi } from 'vitest';

export interface Reply {
  status: number;
  body?: unknown;
}

export const reply = (status: number, body?: unknown): Reply => ({ status, body });

export const errorReply = (status: number, code: string, extra: object = {}): Reply =>
  reply(status, { statusCode: status, code, message: code, ...extra });

/** "METHOD /api/path?query" of a request the app sent. */
function routeOf(request: Request): string {
  const url = new URL(request.url);
  return `${request.method} ${url.pathname}${url.search}`;
}

/**
 * Replaces global fetch with a fake API. Routes are keyed "METHOD /api/path"; each answers its
 * replies in order, then keeps repeating the last one. A reply may be a promise the test
 * settles later, to look at the screen while a request is in flight. Unknown routes reject, so a test
 * cannot pass by accident on a request it did not expect.
 */
export function stubApi(routes: Record<string, (Reply | Promise<Reply>)[]>) {
  const served = new Map<string, number>();
  const fetchMock = vi.fn(async (request: Request) => {
    const key = routeOf(request);
    const replies = routes[key];
    if (!replies?.length) throw new Error(`Unexpected request: ${key}`);
    const index = served.get(key) ?? 0;
    served.set(key, index + 1);
    const { status, body } = await replies[Math.min(index, replies.length - 1)]!;
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

/** The requests made so far, as "METHOD /api/path". */
export function requestsMade(fetchMock: ReturnType<typeof stubApi>): string[] {
  return fetchMock.mock.calls.map(([request]) => routeOf(request));
}

/** The JSON body of the first request the app sent to `route` ("METHOD /api/path"). */
export async function bodySentTo(fetchMock: ReturnType<typeof stubApi>, route: string): Promise<unknown> {
  const request = fetchMock.mock.calls.find(([sent]) => routeOf(sent) === route)?.[0];
  if (!request) throw new Error(`No request to ${route}`);
  return request.clone().json();
}

/** The request the app sent as the `call`th fetch. */
export function requestAt(fetchMock: ReturnType<typeof stubApi>, call: number): Request {
  const request = fetchMock.mock.calls[call]?.[0];
  if (!request) throw new Error(`No request number ${call}`);
  return request;
}
