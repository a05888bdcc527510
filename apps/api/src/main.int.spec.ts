import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Run {
  let output = '';
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const port = () => String(20_000 + Math.floor(Math.random() * 20_000));

describe('start-up (dist/main.js)', () => {
  it('exits non-zero with a clear message when the database is down, without hanging', async () => {
    const run = start({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/sessionkeep', PORT: port(), DATA_DIR: mkdtempSync(join(tmpdir(), 'sk-')) });
    const code = await Promise.race([run.exited, new Promise((resolve) => setTimeout(() => resolve('hung'), 15_000))]);
    expect(code).toBe(1);
    expect(run.output()).toMatch(/Cannot prepare the database at postgresql:\/\/postgres@127\.0\.0\.1:1\/sessionkeep: .*ECONNREFUSED/);
  });

  it('refuses to start in production with a weak secret, naming the setting', async () => {
    const run = start({ NODE_ENV: 'production', SESSION_SECRET: 'short', TRUST_PROXY: '1' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('SESSION_SECRET');
  });

  it('runs on embedded PostgreSQL, stops cleanly on SIGTERM, and recovers from a killed run', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sk-'));
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

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('"signal":"SIGTERM","msg":"shutting down"');
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  });
});
