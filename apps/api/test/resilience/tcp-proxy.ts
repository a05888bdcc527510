import { connect, createServer, type Server, type Socket } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../test-database.js';

/** A TCP hop between the app and PostgreSQL that a test can break, as an outage would. */
export interface TcpProxy {
  port: number;
  /** The database is down: every open connection is reset and new ones are refused (ECONNREFUSED). */
  cut(): Promise<void>;
  /**
   * The network drops packets (a partition, a host that lost power): connections stay open and new
   * ones are accepted, but no byte gets through in either direction. Nothing fails fast on its own.
   */
  blackhole(): void;
  /** Back to normal; connections held by a blackhole are reset, as when a partition heals late. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let silent = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const onConnection = (client: Socket) => {
    track(client);
    if (silent) return client.pause();
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  };
  const resetAll = () => {
    for (const socket of sockets) socket.destroy();
  };

  let server: Server | undefined = createServer(onConnection);
  const port = await listen(server, 0);
  const stop = async () => {
    const closing = server;
    server = undefined;
    resetAll();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  return {
    port,
    cut: stop,
    blackhole() {
      silent = true;
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
      }
    },
    async restore() {
      if (silent) resetAll();
      silent = false;
      if (server) return;
      server = createServer(onConnection);
      await listen(server, port);
    },
    close: stop,
  };
}

/**
 * A fresh test database and a proxy in front of it. `throughProxy` is the database as an app booted
 * on it reaches it: through the proxy, and not dropped by that app.
 */
export async function proxiedTestDatabase(): Promise<{ database: TestDatabase; proxy: TcpProxy; throughProxy: TestDatabase }> {
  const database = await createTestDatabase();
  const url = new URL(database.url);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return { database, proxy, throughProxy: { url: url.toString(), drop: async () => undefined } };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}
