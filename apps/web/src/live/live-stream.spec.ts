import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdLiveStream, LIVE_CHANNEL, type LiveEnvironment, type LiveEvent } from './live-stream';

/** The Web Locks API as one browser has it: one holder per name, the others wait in order. */
class FakeLocks {
  private held = false;
  private readonly queue: (() => void)[] = [];

  request(_name: string, options: { signal?: AbortSignal }, callback: () => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        this.held = true;
        void Promise.resolve(callback()).then((value) => {
          this.held = false;
          this.queue.shift()?.();
          resolve(value);
        });
      };
      options.signal?.addEventListener('abort', () => {
        const waiting = this.queue.indexOf(grant);
        if (waiting < 0) return;
        this.queue.splice(waiting, 1);
        reject(new DOMException('aborted', 'AbortError'));
      });
      if (this.held) return void this.queue.push(grant);
      this.held = true;
      queueMicrotask(grant);
    });
  }
}

/** One tab: its own stream stub, whose events the test sends, and the events the tab heard. */
function tab(locks: FakeLocks | undefined) {
  const streams: { send: (event: LiveEvent) => void; closed: boolean }[] = [];
  const heard: LiveEvent[] = [];
  const env: LiveEnvironment = {
    locks: locks as unknown as LiveEnvironment['locks'],
    createChannel: () => new BroadcastChannel(LIVE_CHANNEL),
    openStream: (onEvent) => {
      const stream = { send: onEvent, closed: false };
      streams.push(stream);
      return () => (stream.closed = true);
    },
  };
  const stop = holdLiveStream((event) => heard.push(event), env);
  stops.push(stop);
  return { streams, heard, stop, open: () => streams.filter((s) => !s.closed) };
}

const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

describe('holdLiveStream [D-LIVE]', () => {
  it('opens one stream for the whole browser: the tab holding the lock; the others hear its events', async () => {
    const locks = new FakeLocks();
    const tabs = [tab(locks), tab(locks), tab(locks)];
    await vi.waitFor(() => expect(tabs.flatMap((t) => t.open())).toHaveLength(1));
    const [holder, ...others] = tabs;
    expect(holder!.open()).toHaveLength(1);

    holder!.open()[0]!.send({ type: 'ended', reason: 'revoked' });
    await vi.waitFor(() => {
      for (const t of tabs) expect(t.heard).toEqual([{ type: 'ended', reason: 'revoked' }]);
    });
    expect(others.every((t) => t.streams.length === 0)).toBe(true);
  });

  it('hands the stream to a waiting tab when the holding tab closes', async () => {
    const locks = new FakeLocks();
    const first = tab(locks);
    const second = tab(locks);
    await vi.waitFor(() => expect(first.open()).toHaveLength(1));
    first.stop();
    expect(first.open()).toHaveLength(0);
    await vi.waitFor(() => expect(second.open()).toHaveLength(1));
    second.open()[0]!.send({ type: 'devices' });
    expect(second.heard).toEqual([{ type: 'devices' }]);
  });

  it('a tab stopped while waiting for the lock never opens a stream', async () => {
    const locks = new FakeLocks();
    const first = tab(locks);
    const second = tab(locks);
    second.stop();
    first.stop();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second.streams).toHaveLength(0);
  });

  it('without Web Locks (as in jsdom), each tab holds its own stream and still hears the others', async () => {
    expect(navigator.locks).toBeUndefined();
    const [a, b] = [tab(undefined), tab(undefined)];
    expect(a.open()).toHaveLength(1);
    expect(b.open()).toHaveLength(1);
    a.open()[0]!.send({ type: 'devices' });
    await vi.waitFor(() => expect(b.heard).toEqual([{ type: 'devices' }]));
    expect(a.heard).toEqual([{ type: 'devices' }]);
  });

  it('does not broadcast a refused stream: only that tab checks its session', async () => {
    const [a, b] = [tab(undefined), tab(undefined)];
    a.open()[0]!.send({ type: 'check' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(a.heard).toEqual([{ type: 'check' }]);
    expect(b.heard).toEqual([]);
  });
});
