import http from 'node:http';
import { BENCH_USER_AGENT } from './http-client.js';
import { runParallel } from './parallel.js';
import type { RunningServer } from './servers.js';

const OPEN_TIMEOUT_MS = 30_000;

/**
 * Every stream gets a socket of its own and keeps it: a pooling agent (BenchClient's, or the
 * global one's default of keep-alive) would queue the 1,000 long-lived requests behind each other.
 */
const streamAgent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

/** One open GET /api/sessions/live, read as raw chunks: only the times of its events are kept. */
export interface LiveStreamClient {
  /** The stored hash of the session the stream watches. */
  readonly sid: string;
  readonly server: RunningServer;
  /** performance.now() when the first `ended` arrived, and its data. */
  endedAt?: number;
  endedData?: string;
  /** `devices` events heard. */
  devices: number;
  /** performance.now() when the server closed the response. */
  closedAt?: number;
  close(): void;
}

/**
 * Opens the stream with the session's cookie and this site's Origin (the route refuses other
 * sites), and resolves once the 200 and its headers are in. Anything else rejects with the answer:
 * a bench whose streams were refused measures nothing.
 */
export function openLiveStream(server: RunningServer, sid: string, cookie: string): Promise<LiveStreamClient> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: server.port,
      path: '/api/sessions/live',
      agent: streamAgent,
      headers: { host: server.host, origin: `http://${server.host}`, 'user-agent': BENCH_USER_AGENT, accept: 'text/event-stream', cookie },
    });
    req.setTimeout(OPEN_TIMEOUT_MS, () => req.destroy(new Error(`GET /api/sessions/live on ${server.name} did not answer within ${OPEN_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => reject(new Error(`GET /api/sessions/live on ${server.name} answered ${res.statusCode}, expected 200: ${body.slice(0, 300)}`)));
        return;
      }
      // Open for as long as the bench wants it: no idle timeout on a quiet stream.
      req.setTimeout(0);
      const stream: LiveStreamClient = { sid, server, devices: 0, close: () => req.destroy() };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith('event: ended\n')) {
            stream.endedAt ??= performance.now();
            stream.endedData ??= block.slice(block.indexOf('data: ') + 6);
          } else if (block.startsWith('event: devices\n')) stream.devices++;
        }
      });
      res.on('close', () => (stream.closedAt ??= performance.now()));
      res.on('error', () => undefined);
      req.on('error', () => undefined);
      resolve(stream);
    });
    req.end();
  });
}

/** Opens one stream per entry, `parallel` at a time, calling `onOpened` with the count so far; one refused stream closes the others and rejects. */
export async function openLiveStreams(
  entries: readonly { server: RunningServer; sid: string; cookie: string }[],
  parallel: number,
  onOpened: (opened: number) => void = () => undefined,
): Promise<LiveStreamClient[]> {
  const streams: LiveStreamClient[] = new Array(entries.length);
  let opened = 0;
  try {
    await runParallel(entries, parallel, async ({ server, sid, cookie }, i) => {
      streams[i] = await openLiveStream(server, sid, cookie);
      onOpened(++opened);
    });
  } catch (error) {
    for (const stream of streams) stream?.close();
    throw error;
  }
  return streams;
}
