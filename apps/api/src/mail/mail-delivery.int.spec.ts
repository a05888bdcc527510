import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mailJobStates } from '../../test/mail-jobs.js';
import { readInbox, waitForInbox } from '../../test/mail-inbox.js';
import { freePort, until } from '../../test/waiting.js';
import { startTestApp, type TestApp } from '../../test/test-app.js';
import { createTestDatabase, silentLogger, type TestDatabase } from '../../test/test-database.js';
import { type RunningMailServer, startEmbeddedMailServer } from './embedded-mail-server.js';
import { passwordChangedEmail, passwordResetEmail } from './templates/security-emails.js';

const RESET_TOKEN = 'reset-selector.reset-validator';

const device = { browser: 'Firefox', os: 'Linux', ip: '203.0.113.7', location: 'Berlin, Germany', at: new Date('2026-12-02T10:00:00Z') };
const message = () => passwordChangedEmail({ appUrl: 'http://localhost:3000', changedFrom: device, byReset: false });

/** The change that causes a mail, and the mail, in one transaction, as the account flows do it. */
async function signUpWithMail(t: TestApp, email: string): Promise<void> {
  await t.prisma.$transaction(async (tx) => {
    await tx.user.create({ data: { email, name: 'Mail Test', passwordHash: 'not-a-real-hash' } });
    await t.mail.enqueue(tx, email, message());
  });
}

describe('mail delivery [E-MAIL]', () => {
  // Each test has its own database, so no test's queued mail reaches another's inbox.
  let db: TestDatabase;
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  beforeEach(async () => {
    db = await createTestDatabase();
    cleanups.push(() => db.drop());
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function mailServerOn(smtpPort: number, webPort: number): Promise<RunningMailServer> {
    const mailDirectory = mkdtempSync(join(tmpdir(), 'sessionkeep-mail-'));
    const server = await startEmbeddedMailServer(silentLogger, { mailDirectory, smtpPort, webPort });
    cleanups.push(() => rmSync(mailDirectory, { recursive: true, force: true }), () => server.stop());
    return server;
  }

  it('an SMTP outage delays mail but loses none: three messages queued while it is down arrive once each when it is back', async () => {
    const [smtpPort, webPort] = [await freePort(), await freePort()];
    const t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}` }, db);
    cleanups.push(() => t.close());
    const recipients = ['outage-1@example.com', 'outage-2@example.com', 'outage-3@example.com'];
    for (const email of recipients) await signUpWithMail(t, email);

    // Every job has tried and failed at least once against the stopped server.
    await until(async () => (await mailJobStates(t.prisma)).filter((job) => job.state === 'retry' && job.failed).length === 3, 'three failed attempts');

    const server = await mailServerOn(smtpPort, webPort);
    const inbox = await waitForInbox(server.inboxUrl, (mail) => mail.length >= 3, 30_000);
    await until(async () => (await mailJobStates(t.prisma)).every((job) => job.state === 'completed'), 'the jobs to complete');
    await new Promise((resolve) => setTimeout(resolve, 3000)); // room for a duplicate to show up
    const final = await readInbox(server.inboxUrl);

    expect(inbox.length).toBe(3);
    expect(final.map((mail) => mail.to[0]!.address).sort()).toEqual(recipients);
    expect(new Set(final.map((mail) => mail.headers['message-id'])).size).toBe(3);
    expect(final[0]!.subject).toBe('Your password was changed — Sessionkeep');
  }, 90_000);

  it('a rolled-back transaction sends nothing', async () => {
    const t = await startTestApp({}, db);
    cleanups.push(() => t.close());
    await expect(
      t.prisma.$transaction(async (tx) => {
        await tx.user.create({ data: { email: 'rolled-back@example.com', name: 'Never', passwordHash: 'x' } });
        await t.mail.enqueue(tx, 'rolled-back@example.com', message());
        throw new Error('the change failed after queueing its mail');
      }),
    ).rejects.toThrow('the change failed');
    await t.prisma.$transaction((tx) =>
      t.mail.enqueue(tx, 'committed@example.com', passwordResetEmail({ appUrl: 'http://localhost:3000', token: RESET_TOKEN, validMinutes: 30, requestedFrom: device })),
    );
    // While it waits, the queued message is sealed: a copy of the database holds no usable link [S-AT-REST].
    const stored = await t.prisma.$queryRawUnsafe<Array<{ row: string }>>(`SELECT j::text AS row FROM pgboss.job j WHERE name = 'mail'`);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.row).not.toContain(RESET_TOKEN);
    expect(stored[0]!.row).not.toContain('committed@example.com');

    const inbox = await waitForInbox(t.inboxUrl!, (mail) => mail.length >= 1);
    expect(inbox[0]!.text).toContain(`#token=${RESET_TOKEN}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await readInbox(t.inboxUrl!)).map((mail) => mail.to[0]!.address)).toEqual(['committed@example.com']);
    expect(inbox).toHaveLength(1);
    expect(await t.prisma.user.count({ where: { email: 'rolled-back@example.com' } })).toBe(0);
  }, 60_000);

  it('an app stopped between the commit and the send leaves the mail to the next app on the same database', async () => {
    // The first app's SMTP server accepts connections and never answers: its send is in flight
    // when it stops, as a deploy or a crash would catch it.
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => silent.close(resolve)), () => sockets.forEach((socket) => socket.destroy()));
    const first = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${(silent.address() as { port: number }).port}` }, db);
    await signUpWithMail(first, 'restart@example.com');
    await until(async () => sockets.size > 0, 'the first app to start sending');
    await first.close();

    const second = await startTestApp({}, db);
    cleanups.push(() => second.close());
    const inbox = await waitForInbox(second.inboxUrl!, (mail) => mail.length >= 1, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(inbox.map((mail) => mail.to[0]!.address)).toEqual(['restart@example.com']);
    expect(await readInbox(second.inboxUrl!)).toHaveLength(1);
  }, 90_000);
});
