import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BenchClient } from './http-client.js';
import { progress, sleep } from './progress.js';
import { onTeardown } from './teardown.js';

export interface RunningServer {
  name: string;
  port: number;
  /** Where load is sent: always loopback. */
  url: string;
  /** The Host header that makes the app's dev loopback rule treat the request as a secure context. */
  host: string;
  stop(): Promise<void>;
}

interface ServerSpec {
  name: string;
  script: string;
  readyPath: string;
}

const script = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export const SERVERS = {
  app: { name: 'app', script: script('../main.js'), readyPath: '/api/health' },
  bare: { name: 'bare', script: script('./bare-server.js'), readyPath: '/hello' },
  stock: { name: 'stock', script: script('./stock-session-server.js'), readyPath: '/me' },
} satisfies Record<string, ServerSpec>;

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Starts a server as a child process, the same way for all three (`node --enable-source-maps <file>`,
 * same environment but PORT), and resolves once it answers 200 on its ready path.
 */
export async function startServer(spec: ServerSpec, env: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', spec.script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      if (output.length > 40) output.shift();
      console.error(`[${spec.name}] ${line}`);
    });
  }
  const server: RunningServer = {
    name: spec.name,
    port,
    url: `http://127.0.0.1:${port}`,
    host: `localhost:${port}`,
    stop: () => stopChild(child),
  };
  onTeardown(`stop the ${spec.name} server`, server.stop);
  await waitUntilReady(spec, port, child, output);
  progress(`${spec.name} server is up on 127.0.0.1:${port} (pid ${child.pid})`);
  return server;
}

async function waitUntilReady(spec: ServerSpec, port: number, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const client = new BenchClient(port);
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the ${spec.name} server exited (${child.exitCode ?? child.signalCode}) before answering:\n${output.join('\n')}`);
      }
      const status = await client.get(spec.readyPath).then(
        (res) => res.status,
        () => 0,
      );
      if (status === 200) return;
      await sleep(250);
    }
  } finally {
    client.close();
  }
  throw new Error(`the ${spec.name} server did not answer GET ${spec.readyPath} within ${READY_TIMEOUT_MS / 1000} s:\n${output.join('\n')}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
