import { createServer, type Server } from 'node:net';

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve(probe));
  });
}

/** `count` free ports on 127.0.0.1. All probes stay open until every port is known, so the OS cannot hand out one port twice. */
export async function freePorts(count: number): Promise<number[]> {
  const probes: Server[] = [];
  for (let i = 0; i < count; i += 1) probes.push(await listenOnFreePort());
  const ports = probes.map((probe) => (probe.address() as { port: number }).port);
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  return ports;
}
