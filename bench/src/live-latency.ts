import pg from 'pg';
import { LIVE_CHANNEL, parseLiveNotification } from '@sessionkeep/api/sessions/live-events';
import { type LiveUser, type Revoker, SIGN_IN_PARALLEL, signInRevoker } from './live-devices.js';
import { type LiveStreamClient, openLiveStreams } from './live-stream-client.js';
import { runParallel } from './parallel.js';
import { progress, sleep } from './progress.js';
import type { RunningServer } from './servers.js';
import { summarize, type Timing } from './stats.js';

/** Of each user's sessions (streams), the first half's streams are on instance one, the rest on two. */
export const ENDS_PER_USER = 6;
/** Revokes in flight at once, each from its own users' sessions. */
export const END_PARALLEL = 4;
export const STREAM_OPEN_PARALLEL = 20;
/** Past one heartbeat (25 s): a lost notification would still end its stream by then, late. */
export const ARRIVAL_TIMEOUT_MS = 30_000;
/** How long the streams left open are watched after the last end. */
const CONTROL_GRACE_MS = 2_000;
export const LATE_MS = 1_000;

export interface LiveLatencyResult {
  streams: number;
  streamsPerInstance: number[];
  ends: number;
  controls: number;
  /** From a NOTIFY heard by the bench's own LISTEN connection (just after the commit) to `ended` at the stream's client. */
  fromNotify: Timing;
  /** From the revoking DELETE's 204 arriving (the commit was before it) to `ended`; negative when the event came first. */
  fromResponse: Timing;
  /** From the revoking DELETE being sent to `ended`: an upper bound. */
  fromSent: Timing;
  eventsBeforeResponse: number;
  /** Ended sessions whose stream heard no `ended` within ARRIVAL_TIMEOUT_MS. */
  missing: number;
  /** `ended` on a stream whose session was not (yet) ended: a control, or before its revoke was sent. */
  wrongSession: number;
  wrongReason: number;
  /** Streams left open that the server closed anyway. */
  controlsClosed: number;
  /** `ended` more than LATE_MS after the revoking request was sent. */
  late: number;
  /** Ends whose NOTIFY the bench's LISTEN connection did not hear. */
  notifyUnheard: number;
}

export interface End {
  stream: LiveStreamClient;
  revoker: Revoker;
  sentAt?: number;
  responseAt?: number;
}

/**
 * [D-LIVE] Commit-to-event latency across instances. Every user's streams are split over the two
 * instances; ENDS_PER_USER of them are revoked (DELETE /api/sessions/:id) through the instance
 * that does NOT hold the stream, so only PostgreSQL NOTIFY can carry the end across. The rest stay
 * open as controls: none may hear `ended` or be closed.
 */
export async function measureLiveLatency(one: RunningServer, two: RunningServer, users: readonly LiveUser[], databaseUrl: string): Promise<LiveLatencyResult> {
  const notified = new Map<string, number>();
  const listener = new pg.Client({ connectionString: databaseUrl });
  await listener.connect();
  listener.on('notification', ({ channel, payload }) => {
    const notification = channel === LIVE_CHANNEL ? parseLiveNotification(payload) : undefined;
    if (notification?.type === 'ended' && !notified.has(notification.sid)) notified.set(notification.sid, performance.now());
  });
  await listener.query(`LISTEN ${LIVE_CHANNEL}`);

  const half = Math.ceil(users[0]!.sessions.length / 2);
  const entries = users.flatMap((user) => user.sessions.map((session, i) => ({ ...session, server: i < half ? one : two })));
  let streams: LiveStreamClient[] = [];
  const revokers: Map<RunningServer, Revoker>[] = [];
  try {
    progress(`live latency: opening ${entries.length} streams, ${half} of each user's ${users[0]!.sessions.length} on ${one.name}, the rest on ${two.name}`);
    streams = await openLiveStreams(entries, STREAM_OPEN_PARALLEL, (n) => n % 250 === 0 && progress(`live latency: ${n}/${entries.length} streams open`));
    progress(`live latency: signing in one revoking session per user (within the step-up window)`);
    await runParallel(users, SIGN_IN_PARALLEL, async (user, i) => void (revokers[i] = await signInRevoker(user.account, [one, two])));
    await sleep(1000);

    // Per user: streams 0, half, 1, half + 1, ...: alternating directions; revoked through the other instance.
    const perUser = users.map((user, u) =>
      Array.from({ length: ENDS_PER_USER }, (_, k): End => {
        const index = (k % 2 === 0 ? 0 : half) + Math.floor(k / 2);
        const stream = streams[u * user.sessions.length + index]!;
        return { stream, revoker: revokers[u]!.get(stream.server === one ? two : one)! };
      }),
    );
    const ends: End[] = perUser.flat();
    const ended = new Set(ends.map((end) => end.stream));
    const controls = streams.filter((stream) => !ended.has(stream));
    // END_PARALLEL workers, each over its own users, one end of each user in turn: a user's session is never revoking two at once.
    progress(`live latency: revoking ${ends.length} sessions across instances, ${END_PARALLEL} at a time; ${controls.length} streams stay open`);
    let done = 0;
    await Promise.all(
      Array.from({ length: END_PARALLEL }, async (_, worker) => {
        const mine = perUser.filter((_, u) => u % END_PARALLEL === worker);
        for (let k = 0; k < ENDS_PER_USER; k++) {
          for (const userEnds of mine) {
            const end = userEnds[k]!;
            end.sentAt = performance.now();
            await end.revoker.revoke(end.stream.sid);
            end.responseAt = performance.now();
            if (++done % 100 === 0) progress(`live latency: ${done}/${ends.length} revoked`);
          }
        }
      }),
    );
    const deadline = performance.now() + ARRIVAL_TIMEOUT_MS;
    while (ends.some((end) => end.stream.endedAt === undefined) && performance.now() < deadline) await sleep(50);
    await sleep(CONTROL_GRACE_MS);
    return summarizeEnds(ends, controls, notified, [one, two]);
  } finally {
    for (const stream of streams) stream.close();
    for (const byServer of revokers) for (const revoker of byServer?.values() ?? []) revoker.close();
    await listener.end();
  }
}

/** Times and counts of `ends` (performance.now() values) and of the `controls` left open; `notified` is when the bench's LISTEN heard each sid. */
export function summarizeEnds(ends: readonly End[], controls: readonly LiveStreamClient[], notified: ReadonlyMap<string, number>, servers: readonly RunningServer[]): LiveLatencyResult {
  const arrived = ends.filter((end) => end.stream.endedAt !== undefined);
  const early = arrived.filter((end) => end.stream.endedAt! < end.sentAt!);
  const timed = arrived.filter((end) => !early.includes(end));
  const us = (ms: number) => ms * 1000;
  const heard = timed.filter((end) => notified.has(end.stream.sid));
  return {
    streams: ends.length + controls.length,
    streamsPerInstance: servers.map((server) => [...ends.map((end) => end.stream), ...controls].filter((stream) => stream.server === server).length),
    ends: ends.length,
    controls: controls.length,
    fromNotify: summarize(heard.map((end) => us(end.stream.endedAt! - notified.get(end.stream.sid)!))),
    fromResponse: summarize(timed.map((end) => us(end.stream.endedAt! - end.responseAt!))),
    fromSent: summarize(timed.map((end) => us(end.stream.endedAt! - end.sentAt!))),
    eventsBeforeResponse: timed.filter((end) => end.stream.endedAt! < end.responseAt!).length,
    missing: ends.length - arrived.length,
    wrongSession: early.length + controls.filter((stream) => stream.endedAt !== undefined).length,
    wrongReason: arrived.filter((end) => end.stream.endedData !== JSON.stringify({ reason: 'revoked' })).length,
    controlsClosed: controls.filter((stream) => stream.closedAt !== undefined).length,
    late: timed.filter((end) => end.stream.endedAt! - end.sentAt! > LATE_MS).length,
    notifyUnheard: ends.filter((end) => !notified.has(end.stream.sid)).length,
  };
}
