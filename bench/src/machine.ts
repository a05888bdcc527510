import os from 'node:os';
import pg from 'pg';

export interface Machine {
  cpu: string;
  cpus: number;
  memory: string;
  os: string;
  node: string;
  postgres: string;
  date: string;
}

/** What the figures were measured on: they mean little without it. */
export async function describeMachine(databaseUrl: string, databaseSource: string): Promise<Machine> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    const cpus = os.cpus();
    return {
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cpus: cpus.length,
      memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
      os: `${os.type()} ${os.release()} (${os.arch()})`,
      node: process.version,
      postgres: `${rows[0]?.server_version ?? 'unknown'} (${databaseSource})`,
      date: new Date().toISOString(),
    };
  } finally {
    await client.end();
  }
}
