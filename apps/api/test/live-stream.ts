import { request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from './test-app.js';
import type { TestClient } from './test-client.js';

export interface LiveEvent {
  event: string;
  data: Record<string, unknown>;
  /** Date.now() when it arrived. */
  at: number;
}

/** A device's open GET /api/sessions/live, read as a browser's EventSource would. */
export interface OpenLiveStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** Body of a refused stream (JSON error), once it has arrived. */
  body: Promise<string>;
  events: LiveEvent[];
  /** The next event named `event` (or one already received and not yet taken), or a timeout error. */
  next(event: string, timeoutMs?: number): Promise<LiveEvent>;
  /** Resolves when the server ends the response. */
  closed: Promise<void>;
  isClosed(): boolean;
  close(): void;
}

/** The app's HTTP server, listening (supertest uses the same address once it is). */
export async function listeningAddress(t: TestApp): Promise<{ host: string; port: number }> {
  const server = t.app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { host: '127.0.0.1', port };
}

export async function openLiveStream(t: TestApp, device: TestClient, headers: Record<string, string> = {}): Promise<OpenLiveStream> {
  const { host, port } = await listeningAddress(t);
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host,
      port,
      path: '/api/sessions/live',
      headers: { Accept: 'text/event-stream', ...device.headers, ...(device.cookies.size > 0 ? { Cookie: device.cookieHeader() } : {}), ...headers },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const events: LiveEvent[] = [];
      const waiting: { event: string; resolve: (e: LiveEvent) => void }[] = [];
      let buffer = '';
      let raw = '';
      let ended = false;
      const closed = new Promise<void>((done) => res.on('close', () => ((ended = true), done())));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!name) continue;
          const received = { event: name, data: data ? (JSON.parse(data) as Record<string, unknown>) : {}, at: Date.now() };
          const taker = waiting.findIndex((w) => w.event === name);
          if (taker >= 0) waiting.splice(taker, 1)[0]!.resolve(received);
          else events.push(received);
        }
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        body: closed.then(() => raw),
        events,
        next(event, timeoutMs = 5000) {
          const index = events.findIndex((e) => e.event === event);
          if (index >= 0) return Promise.resolve(events.splice(index, 1)[0]!);
          return new Promise((resolveEvent, rejectEvent) => {
            const timer = setTimeout(() => rejectEvent(new Error(`no "${event}" event within ${timeoutMs} ms`)), timeoutMs);
            waiting.push({ event, resolve: (e) => (clearTimeout(timer), resolveEvent(e)) });
          });
        },
        closed,
        isClosed: () => ended,
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}

/** The stored hash (public id) of a device's session, from another device's list of the user's devices. */
export async function sessionIdOf(device: TestClient): Promise<string> {
  const res = await device.get('/api/sessions');
  return (res.body.sessions as { id: string; current: boolean }[]).find((s) => s.current)!.id;
}
