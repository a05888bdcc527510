import { BenchClient, expectStatus } from './http-client.js';
import { runParallel } from './parallel.js';
import { progress } from './progress.js';
import type { RunningServer } from './servers.js';
import { type Account, fetchCsrfToken, newAccount, register, signIn } from './sign-in.js';
import { sessionHashFromCookie } from './throughput.js';

/** One signed-in session of a bench user: its cookie header and stored hash (the id GET /api/sessions lists). */
export interface DeviceSession {
  cookie: string;
  sid: string;
}

export interface LiveUser {
  account: Account;
  sessions: DeviceSession[];
}

/** Two per instance: more only queue behind argon2 (one hash at a time per instance on 2 cores), and a queued sign-in can pass the 10 s request deadline on a busy machine. */
export const SIGN_IN_PARALLEL = 4;

/**
 * `users` accounts with `sessionsPerUser` sessions each, all through the API (register, then
 * csrf + login), spread over `servers`: argon2id per sign-in, `SIGN_IN_PARALLEL` at a time.
 */
export async function signInDevices(servers: readonly RunningServer[], users: number, sessionsPerUser: number): Promise<LiveUser[]> {
  const accounts = Array.from({ length: users }, (_, i) => newAccount(`live${i}`));
  const result: LiveUser[] = accounts.map((account) => ({ account, sessions: [] }));
  const jobs = accounts.flatMap((_, user) => Array.from({ length: sessionsPerUser }, (_, session) => ({ user, session })));
  const total = jobs.length;
  let done = 0;
  // Each user's first session registers the account: those go first, so no sign-in precedes its account.
  await runParallel(
    jobs.filter((job) => job.session === 0),
    SIGN_IN_PARALLEL,
    async ({ user }) => {
      const client = await register(servers[user % servers.length]!.port, accounts[user]!);
      result[user]!.sessions[0] = keep(client);
      if (++done % 100 === 0) progress(`live: ${done}/${total} sessions signed in`);
    },
  );
  await runParallel(
    jobs.filter((job) => job.session > 0),
    SIGN_IN_PARALLEL,
    async ({ user, session }) => {
      result[user]!.sessions[session] = keep(await signIn(servers[(user + session) % servers.length]!.port, accounts[user]!));
      if (++done % 100 === 0) progress(`live: ${done}/${total} sessions signed in`);
    },
  );
  return result;
}

/** The session's cookie and stored hash; the client's idle keep-alive socket is closed. */
function keep(client: BenchClient): DeviceSession {
  const cookie = client.cookieHeader();
  client.close();
  return { cookie, sid: sessionHashFromCookie(cookie) };
}

/** A signed-in session that revokes others through `server`, with its CSRF token. */
export interface Revoker {
  revoke(sid: string): Promise<void>;
  close(): void;
}

/** A fresh sign-in of the account (so within the step-up window that a revoke needs), usable on every server given. */
export async function signInRevoker(account: Account, servers: readonly RunningServer[]): Promise<Map<RunningServer, Revoker>> {
  const first = await signIn(servers[0]!.port, account);
  const revokers = new Map<RunningServer, Revoker>();
  for (const server of servers) {
    // The same cookie jar on each instance: one browser, whose session every instance reads from the database.
    const client = server.port === first.port ? first : new BenchClient(server.port);
    for (const [name, value] of first.cookies) client.cookies.set(name, value);
    const csrfToken = await fetchCsrfToken(client);
    revokers.set(server, {
      revoke: async (sid) => {
        expectStatus(await client.request('DELETE', `/api/sessions/${sid}`, undefined, { 'x-csrf-token': csrfToken }), 204, `DELETE /api/sessions/:id on ${server.name}`);
      },
      close: () => client.close(),
    });
  }
  return revokers;
}
