import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { stopStaleServer } from './prisma/embedded-postgres.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

// Whatever a test does (or however it times out), its servers and data folders go in afterEach.
const runs: Run[] = [];
const dataDirs: string[] = [];

function start(env: Record<string, string>): Run {
  let output = '';
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const run = { child, output: () => output, exited };
  runs.push(run);
  return run;
}

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sk-'));
  dataDirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode !== null || run.child.signalCode !== null) continue;
    run.child.kill('SIGTERM'); // lets the app stop its embedded PostgreSQL
    const stopped = await Promise.race([run.exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 15_000))]);
    if (!stopped) run.child.kill('SIGKILL');
  }
  for (const dir of dataDirs.splice(0)) {
    stopStaleServer(join(dir, 'postgres'), process.getuid?.() === 0, pino({ level: 'silent' }));
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
});

// Generous: on a loaded 2-core machine a first start (initdb, migrations) can take tens of seconds.
async function until(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const port = () => String(20_000 + Math.floor(Math.random() * 20_000));
/** Far longer than a start takes on a quiet machine (about 1 s), so only a real hang trips it on a loaded one. */
const HANG_MS = 45_000;

describe('start-up (dist/main.js)', () => {
  it('exits non-zero with a clear message when the database is down, without hanging', { timeout: HANG_MS + 15_000 }, async () => {
    const run = start({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/sessionkeep', PORT: port(), DATA_DIR: newDataDir() });
    const code = await Promise.race([run.exited, new Promise((resolve) => setTimeout(() => resolve('hung'), HANG_MS))]);
    expect(code).toBe(1);
    expect(run.output()).toMatch(/Cannot prepare the database at postgresql:\/\/postgres@127\.0\.0\.1:1\/sessionkeep: .*ECONNREFUSED/);
  });

  it('refuses to start in production with a weak secret, naming the setting', async () => {
    const run = start({ NODE_ENV: 'production', SESSION_SECRET: 'short', TRUST_PROXY: '1' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('SESSION_SECRET');
  });

  it('refuses to start in production without SMTP_URL, MAIL_FROM and APP_URL, naming them [E-MAIL]', async () => {
    const run = start({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(48), TRUST_PROXY: '1' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('SMTP_URL: required in production');
    expect(run.output()).toContain('MAIL_FROM: required in production');
    expect(run.output()).toContain('APP_URL: required in production');
  });

  it('runs on embedded PostgreSQL and an embedded mail server, stops both cleanly on SIGTERM, and recovers from a killed run', async () => {
    const dataDir = newDataDir();
    const env = { PORT: port(), DATA_DIR: dataDir };
    const health = () => fetch(`http://127.0.0.1:${env.PORT}/api/health`).then((res) => res.status);

    const killed = start(env);
    await until(() => killed.output().includes('is listening'), 'the first start');
    expect(killed.output()).toContain(`its data lives in ${join(dataDir, 'postgres')}`);
    killed.child.kill('SIGKILL'); // leaves the PostgreSQL server running, as a crash would
    await killed.exited;

    const run = start(env);
    await until(() => run.output().includes('is listening'), 'the restart after SIGKILL');
    expect(run.output()).toContain('found a server left by an earlier run');
    expect(await health()).toBe(200);
    // With SMTP_URL unset, mail goes to maildev in this process, and the log says where to read it.
    const inboxUrl = /read the mail at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output())?.[1];
    expect(inboxUrl).toBeDefined();
    expect(await fetch(`${inboxUrl}/api/email`).then((res) => res.json())).toEqual([]);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('"signal":"SIGTERM","msg":"shutting down"');
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    await expect(fetch(`${inboxUrl}/api/email`)).rejects.toThrow(); // the mail server stopped with the app
  }, 300_000);
});
