import type { SessionEndReason } from '../api/client';

/** What the server's live stream says [D-LIVE]; `check` when the stream was refused and the session should be asked about. */
export type LiveEvent = { type: 'ended'; reason?: SessionEndReason } | { type: 'devices' } | { type: 'check' };

export const LIVE_LOCK = 'sessionkeep-live-stream';
export const LIVE_CHANNEL = 'sessionkeep-live';
const STREAM_PATH = '/api/sessions/live';
/** A refused stream (too many open, a brief outage) is tried again this much later. */
const REOPEN_AFTER_MS = 30_000;

/** What holding the stream needs from the browser; the tests pass their own. */
export interface LiveEnvironment {
  /** navigator.locks; absent in old browsers and jsdom. */
  locks?: Pick<LockManager, 'request'>;
  createChannel?: () => BroadcastChannel;
  /** Opens the stream and reports its events; returns its close. */
  openStream: (onEvent: (event: LiveEvent) => void) => () => void;
}

export function browserEnvironment(): LiveEnvironment {
  return {
    locks: typeof navigator !== 'undefined' ? navigator.locks : undefined,
    createChannel: typeof BroadcastChannel === 'undefined' ? undefined : () => new BroadcastChannel(LIVE_CHANNEL),
    // jsdom and very old browsers have no EventSource: nothing is live there, requests still tell.
    openStream: typeof EventSource === 'undefined' ? () => () => undefined : openEventSource,
  };
}

/**
 * One stream per browser, not per tab (HTTP/1.1 gives an origin six connections): the tab that
 * holds the Web Lock opens it and shares its events with the other tabs over BroadcastChannel;
 * when that tab closes, the lock passes to another. Without Web Locks each tab holds its own.
 * Every tab, the holder too, hears each event once. Returns the stop for this tab.
 */
export function holdLiveStream(onEvent: (event: LiveEvent) => void, env: LiveEnvironment = browserEnvironment()): () => void {
  let stopped = false;
  let closeStream: (() => void) | undefined;
  let release: (() => void) | undefined;
  const channel = env.createChannel?.();
  const heard = (message: MessageEvent<LiveEvent>) => onEvent(message.data);
  channel?.addEventListener('message', heard);
  const open = () => {
    closeStream = env.openStream((event) => {
      if (event.type !== 'check') channel?.postMessage(event);
      onEvent(event);
    });
  };

  const abort = new AbortController();
  if (env.locks) {
    env.locks
      .request(LIVE_LOCK, { signal: abort.signal }, () => {
        if (stopped) return;
        open();
        // Held for as long as this tab keeps the stream.
        return new Promise<void>((resolve) => (release = resolve));
      })
      .catch(() => undefined); // stopped while waiting for the lock
  } else {
    open();
  }

  return () => {
    stopped = true;
    abort.abort();
    closeStream?.();
    release?.();
    channel?.removeEventListener('message', heard);
    channel?.close();
  };
}

/** The browser's EventSource: it reconnects by itself after a drop; a refusal (401, 429) closes it for good. */
function openEventSource(onEvent: (event: LiveEvent) => void): () => void {
  let source: EventSource | undefined;
  let reopen: ReturnType<typeof setTimeout> | undefined;
  const connect = () => {
    source = new EventSource(STREAM_PATH);
    source.addEventListener('ended', (message) => {
      source?.close();
      onEvent({ type: 'ended', ...endedData(message.data) });
    });
    source.addEventListener('devices', () => onEvent({ type: 'devices' }));
    source.addEventListener('error', () => {
      if (source?.readyState !== EventSource.CLOSED) return;
      onEvent({ type: 'check' });
      reopen = setTimeout(connect, REOPEN_AFTER_MS);
    });
  };
  connect();
  return () => {
    clearTimeout(reopen);
    source?.close();
  };
}

function endedData(data: unknown): { reason?: SessionEndReason } {
  try {
    const { reason } = JSON.parse(String(data)) as { reason?: unknown };
    return typeof reason === 'string' ? { reason: reason as SessionEndReason } : {};
  } catch {
    return {};
  }
}
