import { describe, expect, it } from 'vitest';
import { type End, summarizeEnds } from './live-latency.js';
import type { LiveStreamClient } from './live-stream-client.js';
import type { Revoker } from './live-devices.js';
import type { RunningServer } from './servers.js';

const one = { name: 'app1' } as RunningServer;
const two = { name: 'app2' } as RunningServer;
const revoker: Revoker = { revoke: () => Promise.resolve(), close: () => undefined };
const REVOKED = JSON.stringify({ reason: 'revoked' });

function stream(sid: string, server: RunningServer, heard: Partial<Pick<LiveStreamClient, 'endedAt' | 'endedData' | 'closedAt'>> = {}): LiveStreamClient {
  return { sid, server, devices: 0, close: () => undefined, ...heard };
}

function end(sid: string, sentAt: number, responseAt: number, endedAt?: number, endedData = REVOKED): End {
  return { stream: stream(sid, one, endedAt === undefined ? {} : { endedAt, endedData, closedAt: endedAt }), revoker, sentAt, responseAt };
}

/** The bench's verdicts rest on these counts: a lenient count would pass a broken live sign-out. */
describe('summarizeEnds', () => {
  it('times each end from the NOTIFY, the 204 and the request, negative when the event beat the 204', () => {
    const result = summarizeEnds([end('a', 100, 150, 130), end('b', 200, 210, 260)], [], new Map([['a', 120], ['b', 205]]), [one, two]);
    expect(result.fromNotify.count).toBe(2);
    expect(result.fromNotify.maxUs).toBeCloseTo(55_000);
    expect(result.fromResponse.p50Us).toBeCloseTo(-20_000);
    expect(result.fromSent.maxUs).toBeCloseTo(60_000);
    expect(result.eventsBeforeResponse).toBe(1);
    expect(result.streamsPerInstance).toEqual([2, 0]);
  });

  it('counts an end whose stream heard nothing as missing, and its unheard NOTIFY', () => {
    const result = summarizeEnds([end('a', 100, 150, 130), end('b', 200, 210)], [], new Map([['a', 120]]), [one, two]);
    expect(result.missing).toBe(1);
    expect(result.notifyUnheard).toBe(1);
    expect(result.fromSent.count).toBe(1);
  });

  it('counts `ended` before its revoke was sent as the wrong session, not as a fast one', () => {
    const result = summarizeEnds([end('a', 100, 150, 90)], [], new Map([['a', 80]]), [one, two]);
    expect(result.wrongSession).toBe(1);
    expect(result.missing).toBe(0);
    expect(result.fromSent.count).toBe(0);
  });

  it('counts `ended` on a stream left open as the wrong session, and a closed one apart', () => {
    const controls = [stream('c', two, { endedAt: 300, endedData: REVOKED, closedAt: 300 }), stream('d', two, { closedAt: 310 }), stream('e', two)];
    const result = summarizeEnds([end('a', 100, 150, 130)], controls, new Map([['a', 120]]), [one, two]);
    expect(result.wrongSession).toBe(1);
    expect(result.controlsClosed).toBe(2);
    expect(result.controls).toBe(3);
    expect(result.streamsPerInstance).toEqual([1, 3]);
  });

  it('counts an `ended` with another reason, and one later than a second after the request', () => {
    const result = summarizeEnds([end('a', 100, 150, 130, JSON.stringify({ reason: 'evicted' })), end('b', 200, 400, 1300)], [], new Map(), [one, two]);
    expect(result.wrongReason).toBe(1);
    expect(result.late).toBe(1);
  });
});
