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
  /** The child's process id (for RSS, profiles). */
  pid: number;
  /** Asks the preloaded probe (see probe.ts); only for servers started with `probe: true`. */
  probe<T>(name: 'memory' | 'writes' | 'profile-start' | 'profile-stop', extra?: object): Promise<T>;
  stop(): Promise<void>;
}

interface ServerSpec {
  name: string;
  script: string;
  readyPath: string;
  /** What the ready path answers once the server is up (the ceiling's route answers 404 to an unknown session). */
  readyStatus?: number;
}

const script = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export const SERVERS = {
  app: { name: 'app', script: fileURLToPath(import.meta.resolve('@sessionkeep/api/main')), readyPath: '/api/health' },
  bare: { name: 'bare', script: script('./bare-server.js'), readyPath: '/hello' },
  ceiling: { name: 'ceiling', script: script('./ceiling-server.js'), readyPath: '/ceiling', readyStatus: 404 },
  stock: { name: 'stock', script: script('./stock-session-server.js'), readyPath: '/me' },
  // Started once per step with LADDER_STEP (see ladder-server.ts); like the ceiling, 404 to a request with no session.
  ladder: { name: 'ladder', script: script('./ladder-server.js'), readyPath: '/ladder', readyStatus: 404 },
} satisfies Record<string, ServerSpec>;

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Starts a server as a child process, the same way for all three (`node --enable-source-maps <file>`,
 * same environment but PORT), and resolves once it answers 200 on its ready path.
 */
export interface StartOptions {
  /** Extra node flags (`--cpu-prof`, `--expose-gc`); none in the throughput runs. */
  nodeArgs?: readonly string[];
  /** Preload probe.ts and open an IPC channel to it (profile and soak modes only). */
  probe?: boolean;
}

export async function startServer(spec: ServerSpec, env: Record<string, string>, options: StartOptions = {}): Promise<RunningServer> {
  const port = await freePort();
  const probeArgs = options.probe ? ['--import', script('./probe.js')] : [];
  const child = spawn(process.execPath, ['--enable-source-maps', ...(options.nodeArgs ?? []), ...probeArgs, spec.script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: options.probe ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
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
    pid: child.pid ?? 0,
    probe: <T>(name: string, extra?: object) => askProbe<T>(child, name, extra),
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
      if (status === (spec.readyStatus ?? 200)) return;
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

function askProbe<T>(child: ChildProcess, name: string, extra: object = {}): Promise<T> {
  if (!child.send) return Promise.reject(new Error('this server was started without the probe'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the probe did not answer '${name}'`)), 30_000);
    const onMessage = (message: { probe?: string }) => {
      if (message?.probe !== name) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.send!({ ...extra, probe: name });
  });
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
