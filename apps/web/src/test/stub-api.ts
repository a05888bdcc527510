import { vi } from 'vitest';

export interface Reply {
  status: number;
  body?: unknown;
}

export const reply = (status: number, body?: unknown): Reply => ({ status, body });

export const errorReply = (status: number, code: string, extra: object = {}): Reply =>
  reply(status, { statusCode: status, code, message: code, ...extra });

/**
 * Replaces global fetch with a fake API. Routes are keyed "METHOD /api/path"; each answers its
 * replies in order, then keeps repeating the last one. A reply may be a promise the test
 * settles later, to look at the screen while a request is in flight. Unknown routes reject, so a test
 * cannot pass by accident on a request it did not expect.
 */
export function stubApi(routes: Record<string, (Reply | Promise<Reply>)[]>) {
  const served = new Map<string, number>();
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${String(input)}`;
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
  return fetchMock.mock.calls.map(([input, init]) => `${init?.method ?? 'GET'} ${String(input)}`);
}

export function headersOf(fetchMock: ReturnType<typeof stubApi>, call: number): Record<string, string> {
  return (fetchMock.mock.calls[call]?.[1]?.headers ?? {}) as Record<string, string>;
}
