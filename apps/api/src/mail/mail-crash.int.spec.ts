import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD } from '../../test/auth-helpers.js';
import { readInbox, waitForInbox } from '../../test/mail-inbox.js';
import { TEST_SECRET } from '../../test/test-app.js';
import { TestClient } from '../../test/test-client.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../test/test-database.js';
import { freePort, until } from '../../test/waiting.js';
import { startEmbeddedMailServer } from './embedded-mail-server.js';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const VERIFY_SUBJECT = 'Confirm your email address — Sessionkeep';

interface ApiProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/**
 * [E-MAIL] A crash between the commit and the send: the built API (dist/main.js) runs in a child
 * process that is killed with SIGKILL (no shutdown hook, no graceful stop of the queue) after the
 * change and its queued email have committed but before the email went out. A second process on the
 * same database must deliver it, exactly once.
 */
describe('a crash between the commit and the send [E-MAIL]', () => {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startApi(database: TestDatabase, smtpUrl: string): Promise<ApiProcess> {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'sk-crash-'));
    let output = '';
    const child = spawn(process.execPath, [MAIN], {
      // The same SESSION_SECRET on both: queued messages are sealed under it.
      env: { PATH: process.env.PATH, DATABASE_URL: database.url, SMTP_URL: smtpUrl, SESSION_SECRET: TEST_SECRET, MFA_ENCRYPTION_KEY: TEST_SECRET, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    });
    await until(() => output.includes('Sessionkeep is listening') || child.exitCode !== null, 'the API to listen', 60_000);
    expect(output).toContain('Sessionkeep is listening');
    return { child, url: `http://127.0.0.1:${port}`, output: () => output };
  }

  async function crash(api: ApiProcess): Promise<void> {
    const exited = new Promise((resolve) => api.child.once('exit', (_code, signal) => resolve(signal)));
    api.child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
  }

  async function mailJobs(database: TestDatabase): Promise<string[]> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<{ state: string }>(`SELECT state::text FROM pgboss.job WHERE name = 'mail' ORDER BY created_on`)).rows.map((row) => row.state);
    } finally {
      await client.end();
    }
  }

  async function freshDatabase(): Promise<TestDatabase> {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    return database;
  }

  async function mailServerUp() {
    const mailDirectory = mkdtempSync(join(tmpdir(), 'sessionkeep-mail-'));
    const server = await startEmbeddedMailServer(silentLogger, { mailDirectory, smtpPort: await freePort(), webPort: await freePort() });
    cleanups.push(() => rmSync(mailDirectory, { recursive: true, force: true }), () => server.stop());
    return server;
  }

  /** Signs up through the API: the account and its verification email commit together. */
  async function signUp(api: ApiProcess, email: string): Promise<void> {
    const res = await new TestClient(api.url).post('/api/auth/register', { email, password: PASSWORD, name: 'Crash Test' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  /** The second process sends what the first left: once, and nothing else is left or sent twice. */
  async function expectDeliveredOnce(database: TestDatabase, inboxUrl: string, email: string): Promise<void> {
    await waitForInbox(inboxUrl, (mail) => mail.some((m) => m.to.some((r) => r.address === email)), 90_000);
    await until(async () => (await mailJobs(database)).every((state) => state === 'completed'), 'every mail job to complete', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3000)); // room for a duplicate to show up
    const inbox = await readInbox(inboxUrl);
    expect(inbox.map((mail) => [mail.to[0]!.address, mail.subject])).toEqual([[email, VERIFY_SUBJECT]]);
    expect(await mailJobs(database)).toEqual(['completed']);
  }

  it('SMTP down at the commit, then SIGKILL: the next process delivers the email once', { timeout: 180_000 }, async () => {
    // Failure: the mail server is unreachable (nothing listens on its port) when the sign-up
    // commits, and the process dies before any retry succeeds.
    const database = await freshDatabase();
    const unreachable = `smtp://127.0.0.1:${await freePort()}`;
    const first = await startApi(database, unreachable);
    await signUp(first, 'crash-outage@example.com');
    await until(async () => (await mailJobs(database)).includes('retry'), 'a failed attempt against the stopped server');
    await crash(first);
    expect(await mailJobs(database)).not.toContain('completed');

    const server = await mailServerUp();
    await startApi(database, server.smtpUrl);
    await expectDeliveredOnce(database, server.inboxUrl, 'crash-outage@example.com');
  });

  it('SIGKILL while the send is in flight: the job the dead worker held is taken over and delivered once', { timeout: 240_000 }, async () => {
    // Failure: the process dies mid-send (the SMTP server has accepted the connection and not yet
    // answered), so the job stays "active" under a worker that will never finish it. Its missed
    // heartbeat must hand it to the next process, not leave it active for ever.
    const database = await freshDatabase();
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => silent.close(resolve)), () => sockets.forEach((socket) => socket.destroy()));
    const first = await startApi(database, `smtp://127.0.0.1:${(silent.address() as { port: number }).port}`);
    await signUp(first, 'crash-in-flight@example.com');
    await until(() => sockets.size > 0, 'the first process to start sending');
    expect(await mailJobs(database)).toEqual(['active']);
    await crash(first);

    const server = await mailServerUp();
    await startApi(database, server.smtpUrl);
    await expectDeliveredOnce(database, server.inboxUrl, 'crash-in-flight@example.com');
  });
});
